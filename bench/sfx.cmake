# bench/sfx.cmake -- sfx_render: every sound effect and the mix of a synthetic round as WAV files,
# with their levels (SDL-free: the synthesis and mixer the client's audio callback runs)
add_executable(sfx_render ${CMAKE_CURRENT_SOURCE_DIR}/sfx_render.c)
target_link_libraries(sfx_render PRIVATE nine43_play nine43_common)
if(NINE43_BUILD_TESTS)
  # A smoke run at 8 kHz and the shortest round: it fails when a sound is silent or clips.
  add_test(NAME bench_audio_render_smoke
    COMMAND sfx_render --tiny --out ${CMAKE_CURRENT_BINARY_DIR}/sfx_render_smoke)
  set_tests_properties(bench_audio_render_smoke PROPERTIES TIMEOUT 60)
endif()
