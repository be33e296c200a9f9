# tests/lan.cmake -- LAN discovery: the server's responder and the client's browser as units, the
# whole path on loopback, over namespaces, and the Join screen's list; every test links the real
# libraries (nine43_server, nine43_play, nine43_bot, nine43_client)

if(TARGET nine43_server)
  # The responder's answers, refusals and rate limits, and the browser's list, over UDP on
  # 127.0.0.0/8.
  nine43_add_test(test_discovery SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_discovery.c
    LIBS nine43_server nine43_bot)
endif()

if(TARGET nine43-server AND TARGET nine43-bot)
  # The real server found by the browser and by nine43-bot --discover with its name and counts;
  # the responder in a child process found by discover_run; a server without discovery silent.
  nine43_add_test(test_lan_loopback SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_lan_loopback.c
    LIBS nine43_server nine43_bot nine43_testutil)
  add_dependencies(test_lan_loopback nine43-server nine43-bot)

  # lan_tool: discover_run from the command line, for the namespace test (and for trying
  # discovery by hand inside a namespace).
  add_executable(lan_tool ${CMAKE_CURRENT_SOURCE_DIR}/lan_tool.c)
  target_link_libraries(lan_tool PRIVATE nine43_bot)

  # Three network namespaces and a bridge: broadcast discovery and a full round of bots (root
  # only; skipped elsewhere).
  add_test(NAME test_lan_netns
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_lan_netns.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(test_lan_netns PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "NINE43_BUILD=${CMAKE_BINARY_DIR};NINE43_SOURCE=${CMAKE_SOURCE_DIR}")
endif()

if(TARGET nine43_client AND TARGET nine43_server)
  # The Join screen's LAN list (SDLNet_UDP_*), answered by the server's responder and by two
  # real servers: listed and joined by keyboard, another version refused with the reason, an
  # empty list says what was searched.
  nine43_add_test(test_client_lan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_lan.c
    ${CMAKE_CURRENT_SOURCE_DIR}/client_core_fake.c LIBS nine43_client nine43_server
    nine43_testutil)
  target_include_directories(test_client_lan PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  if(TARGET nine43-server)
    add_dependencies(test_client_lan nine43-server) # two real servers on loopback
  endif()
endif()
