# tests/lan.cmake -- LAN discovery: server-module and browser units, discovery on loopback, and the
# namespaced LAN test (three network namespaces, a bridge, broadcast discovery, a full round)

# The three LAN modules compiled on their own, so their tests need neither the server, the
# client nor the bot to be finished.
add_library(nine43_lan_test STATIC
  ${CMAKE_SOURCE_DIR}/server/discovery.c
  ${CMAKE_SOURCE_DIR}/client/lan.c
  ${CMAKE_SOURCE_DIR}/bot/discover.c)
target_include_directories(nine43_lan_test PUBLIC
  ${CMAKE_SOURCE_DIR}/server ${CMAKE_SOURCE_DIR}/client ${CMAKE_SOURCE_DIR}/bot)
target_link_libraries(nine43_lan_test PUBLIC nine43_common)

nine43_add_test(test_discovery SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_discovery.c
  LIBS nine43_lan_test)

nine43_add_test(test_lan_loopback SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_lan_loopback.c
  LIBS nine43_lan_test nine43_testutil)

# lan_tool: bot_discover and a stand-alone responder from the command line, for the namespace
# test (and for trying discovery by hand inside a namespace).
add_executable(lan_tool ${CMAKE_CURRENT_SOURCE_DIR}/lan_tool.c)
target_link_libraries(lan_tool PRIVATE nine43_lan_test)

if(TARGET nine43-server)
  add_dependencies(test_lan_loopback nine43-server)
endif()
if(TARGET nine43-bot)
  add_dependencies(test_lan_loopback nine43-bot)
endif()

if(TARGET nine43-server AND TARGET nine43-bot)
  add_test(NAME test_lan_netns
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_lan_netns.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(test_lan_netns PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "NINE43_BUILD=${CMAKE_BINARY_DIR};NINE43_SOURCE=${CMAKE_SOURCE_DIR}")
endif()

# The Join screen's LAN list.
if(TARGET nine43_client)
  nine43_add_test(test_client_lan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_lan.c
    ${CMAKE_CURRENT_SOURCE_DIR}/client_core_fake.c ${CMAKE_SOURCE_DIR}/server/discovery.c
    LIBS nine43_client)
  target_include_directories(test_client_lan PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
    ${CMAKE_SOURCE_DIR}/server)
endif()
