# tests/client_game.cmake -- the client's game side: prediction (SDL-free), the vote, game and end
# scenes, and the host's kick from inside a round
nine43_add_test(test_predict SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_predict.c LIBS nine43_play)

# The scenes are driven without a window through the runner (client.c) and a recording network;
# test_scene_draw also draws them with the software renderer into a surface.
if(TARGET nine43_client)
  foreach(t test_scene_vote test_scene_game test_scene_end test_scene_draw test_scene_chat)
    nine43_add_test(${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c
      ${CMAKE_CURRENT_SOURCE_DIR}/game_fake.c ${CMAKE_CURRENT_SOURCE_DIR}/fake_net.c LIBS nine43_client)
    target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  endforeach()
endif()

# End to end: the real server and two real clients (--autoplay, SDL's offscreen video driver)
# play a round; both exit 0 and every scene's screenshot exists and is not blank.
if(TARGET nine43 AND TARGET nine43_client AND TARGET nine43-server)
  nine43_add_test(test_client_e2e SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_e2e.c
    LIBS nine43_testutil nine43_client)
  add_dependencies(test_client_e2e nine43 nine43-server)
endif()

# The "replay" feature end to end: the real client keeps its round's replay, which nine43-bot
# --verify-replay finds the same bit for bit; a raw login without the feature gets no new line.
if(TARGET nine43 AND TARGET nine43_client AND TARGET nine43-server AND TARGET nine43-bot)
  nine43_add_test(test_client_replay SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_client_replay.c
    LIBS nine43_testutil nine43_client)
  add_dependencies(test_client_replay nine43 nine43-server nine43-bot)
endif()

# The host's kick from inside its round: nine43 --host in an Xvfb display of its own, driven with
# xdotool (K, a reason, Enter), kicks a nine43-bot, which is told so by the server. Skipped when
# Xvfb or xdotool is missing or Xvfb cannot start.
if(TARGET nine43 AND TARGET nine43-server AND TARGET nine43-bot)
  add_test(NAME test_client_round_kick
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_client_round_kick.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(test_client_round_kick PROPERTIES TIMEOUT 180 SKIP_RETURN_CODE 77
    ENVIRONMENT "NINE43_DISCOVERY_ADDR=127.255.255.255")
endif()
