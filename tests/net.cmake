# tests/net.cmake -- what real networks do to the game: drops, stalls, hostile peers (issue 15)
if(TARGET nine43-server)
  nine43_add_test(test_server_net SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_net.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_server_net nine43-server)
endif()
