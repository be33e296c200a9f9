# tests/replay.cmake -- replays: the format as units (common/replay.c), and rounds recorded by the
# real server (--replay-dir) verified by the real nine43-bot (--verify-replay)
nine43_add_test(test_replay SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_replay.c)
