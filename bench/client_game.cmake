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
