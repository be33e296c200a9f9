# bench/client_game.cmake -- bench_game_frame: the game scene's frame time with 8 players on SDL's
# software renderer (a surface, no window)
if(TARGET nine43_client)
  add_executable(bench_game_frame ${CMAKE_CURRENT_SOURCE_DIR}/bench_game_frame.c)
  target_link_libraries(bench_game_frame PRIVATE nine43_client)
  if(NINE43_BUILD_TESTS)
    # A smoke run of a few frames: it checks that the scene draws, not speed.
    add_test(NAME bench_game_frame_smoke COMMAND bench_game_frame --tiny)
    set_tests_properties(bench_game_frame_smoke PROPERTIES TIMEOUT 60)
  endif()
endif()

# The client's own figures (README "The client's network code"): client_ack, its input-to-ack
# time through client/net.c; frame_probe, an LD_PRELOAD shim that times the real client's frames.
if(TARGET nine43_client)
  add_executable(client_ack ${CMAKE_CURRENT_SOURCE_DIR}/client_ack.c)
  target_link_libraries(client_ack PRIVATE nine43_client)
  add_library(frame_probe MODULE ${CMAKE_CURRENT_SOURCE_DIR}/frame_probe.c)
  target_link_libraries(frame_probe PRIVATE ${CMAKE_DL_LIBS})
  set_target_properties(frame_probe PROPERTIES PREFIX "")
endif()
