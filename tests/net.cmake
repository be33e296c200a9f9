# tests/net.cmake -- what real networks do to the game: drops, stalls, hostile peers (issue 15)
if(TARGET nine43-server)
  nine43_add_test(test_server_net SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_net.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_server_net nine43-server)
  if(TARGET nine43-bot)
    add_dependencies(test_server_net nine43-bot)
  endif()
endif()

# The client's connection (client/net.c) against the real server: a frozen server.
if(TARGET nine43_client AND TARGET nine43-server)
  nine43_add_test(test_client_net SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_net.c
    LIBS nine43_client nine43_testutil)
  find_package(Threads REQUIRED)
  target_link_libraries(test_client_net PRIVATE Threads::Threads)
  add_dependencies(test_client_net nine43-server)
endif()

# The client's reconnect loop, scene by scene, on the recording network.
if(TARGET nine43_client)
  nine43_add_test(test_client_resume SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_resume.c
    ${CMAKE_CURRENT_SOURCE_DIR}/game_fake.c ${CMAKE_CURRENT_SOURCE_DIR}/fake_net.c LIBS nine43_client)
  target_include_directories(test_client_resume PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
endif()
