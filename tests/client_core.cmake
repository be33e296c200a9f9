# tests/client_core.cmake -- the client's core: runner, menu, settings, join, host, connect, username, lobby
if(TARGET nine43_client)
  # Scene logic driven through client_* with a recording network and host, no window.
  # test_scene_replay: replays kept from "replay" parts, the Replays list, playback's controls.
  foreach(t test_client_runner test_client_menu test_client_join test_client_lobby
      test_client_party test_scene_replay test_client_watch)
    nine43_add_test(${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c
      ${CMAKE_CURRENT_SOURCE_DIR}/client_core_fake.c ${CMAKE_CURRENT_SOURCE_DIR}/fake_net.c
      ${CMAKE_CURRENT_SOURCE_DIR}/fake_host.c LIBS nine43_client)
    target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  endforeach()
  # ui.c on SDL's dummy video driver: scaling, the text cache, wrapping; the scenes' drawing.
  nine43_add_test(test_client_ui SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_ui.c
    LIBS nine43_client nine43_testutil)
  if(TARGET nine43-server)
    # host.c and net.c against the real server on loopback.
    nine43_add_test(test_client_host SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_host.c
      LIBS nine43_client nine43_testutil)
    add_dependencies(test_client_host nine43-server)
    if(TARGET nine43)
      add_dependencies(test_client_host nine43)
    endif()
  endif()
endif()

# The LAN list test (tests/lan.cmake) drives the Join scene through client_core_fake.c as well,
# so it needs the same two fakes; added once every tests/*.cmake has been read.
function(nine43_client_fakes_for_lan)
  if(TARGET test_client_lan)
    target_sources(test_client_lan PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fake_net.c
      ${CMAKE_CURRENT_SOURCE_DIR}/fake_host.c)
  endif()
endfunction()
cmake_language(DEFER CALL nine43_client_fakes_for_lan)
