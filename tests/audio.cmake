# tests/audio.cmake -- the game's sound: event rules, synthesis and mixer (SDL-free, nine43_play);
# with the SDL client also audio.c on SDL's bad, dummy and disk drivers (no sound card needed)
if(TARGET nine43_client)
  nine43_add_test(test_audio SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_audio.c LIBS nine43_client)
  target_compile_definitions(test_audio PRIVATE NINE43_TEST_AUDIO_DEVICE=1)
else()
  nine43_add_test(test_audio SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_audio.c LIBS nine43_play)
endif()
