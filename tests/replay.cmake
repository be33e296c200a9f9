# tests/replay.cmake -- replays: the format as units (common/replay.c), and rounds recorded by the
# real server (--replay-dir) verified by the real nine43-bot (--verify-replay)
nine43_add_test(test_replay SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_replay.c)

if(TARGET nine43-server AND TARGET nine43-bot)
  # nine43_server_testhelp is made in server.cmake; CMake resolves the name at generation.
  nine43_add_test(test_replay_e2e SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_replay_e2e.c
    LIBS nine43_server_testhelp)
  add_dependencies(test_replay_e2e nine43-server nine43-bot)
endif()
