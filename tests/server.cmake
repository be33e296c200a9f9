# tests/server.cmake -- integration tests of nine43-server: the real binary over loopback sockets
if(TARGET nine43-server)
  add_library(nine43_server_testhelp STATIC ${CMAKE_CURRENT_SOURCE_DIR}/test_server_helpers.c)
  target_link_libraries(nine43_server_testhelp PUBLIC nine43_testutil nine43_common PkgConfig::CMOCKA)

  foreach(t test_server_flow test_server_errors test_server_quit test_server_load
      test_server_social test_server_party test_server_countdown test_server_guard)
    nine43_add_test(${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c LIBS nine43_server_testhelp)
    add_dependencies(${t} nine43-server)
  endforeach()

  # Watching a round: the real server and nine43-bot --watch.
  nine43_add_test(test_server_watch SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_watch.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_server_watch nine43-server nine43-bot)

  # The server's own modules (event loop, connection buffers, flags) as units.
  nine43_add_test(test_server_units SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_units.c
    LIBS nine43_server)

  # A full round and a shutdown under valgrind: no leak, no invalid access.
  find_program(NINE43_VALGRIND valgrind)
  nine43_add_test(test_server_valgrind SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_server_valgrind.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_server_valgrind nine43-server)
  # valgrind cannot run AddressSanitizer binaries: the sanitizer build checks memory itself.
  if(NINE43_SANITIZE)
    set(_vg_skip "the sanitizer build checks memory with ASan instead")
  elseif(NOT NINE43_VALGRIND)
    set(_vg_skip "valgrind was not found when the build was configured")
  else()
    set(_vg_skip "")
    set_property(TEST test_server_valgrind APPEND PROPERTY ENVIRONMENT
      "NINE43_VALGRIND=${NINE43_VALGRIND}")
  endif()
  if(_vg_skip)
    set_property(TEST test_server_valgrind APPEND PROPERTY ENVIRONMENT
      "NINE43_VALGRIND_SKIP=${_vg_skip}")
  endif()
  # cmocka's skip() exits 0: have CTest count it as skipped, not passed.
  set_tests_properties(test_server_valgrind PROPERTIES SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endif()
