# tests/net.cmake -- what real networks do to the game: drops, stalls, hostile peers (issue 15)
if(TARGET nine43-server)
  nine43_add_test(test_server_net SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_net.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_server_net nine43-server)
  if(TARGET nine43-bot)
    add_dependencies(test_server_net nine43-bot)
  endif()
endif()

# The client's connection (client/net.c) against real peers: a stopped server, the output cap,
# a pending connect let go, the greeting time-out, silence, resume.
if(TARGET nine43_client AND TARGET nine43-server)
  nine43_add_test(test_client_net SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_net.c
    LIBS nine43_client nine43_testutil)
  find_package(Threads REQUIRED)
  target_link_libraries(test_client_net PRIVATE Threads::Threads)
  add_dependencies(test_client_net nine43-server)
  if(TARGET nine43 AND TARGET nine43-bot)
    add_dependencies(test_client_net nine43 nine43-bot)
  endif()
endif()

# The client's reconnect loop, scene by scene, on the recording network.
if(TARGET nine43_client)
  nine43_add_test(test_client_resume SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_resume.c
    ${CMAKE_CURRENT_SOURCE_DIR}/game_fake.c ${CMAKE_CURRENT_SOURCE_DIR}/fake_net.c LIBS nine43_client)
  target_include_directories(test_client_resume PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
endif()

# lag_proxy: a delaying TCP proxy, the stand-in for tc netem when the kernel has none
# (scripts/net-figures.sh measures the README's smoothness figures through it).
add_executable(lag_proxy ${CMAKE_CURRENT_SOURCE_DIR}/lag_proxy.c)

# Play over tc netem between two namespaces (60 ms +- 20 ms, 1 % loss, 300 ms stalls): the
# client's p99 correction stays under a quarter of a tile. Root and netem only; skipped (77)
# with the reason elsewhere.
if(TARGET nine43 AND TARGET nine43-server AND TARGET nine43-bot)
  add_test(NAME test_net_netem COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_net_netem.sh
    ${CMAKE_BINARY_DIR})
  set_tests_properties(test_net_netem PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "NINE43_BUILD=${CMAKE_BINARY_DIR};NINE43_SOURCE=${CMAKE_SOURCE_DIR}")
endif()

# The smoothness figures the client records (--net-stats).
nine43_add_test(test_predict_stats SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_predict_stats.c
  LIBS nine43_play)
