# tests/bot.cmake -- the autoplay brain (unit) and nine43-bot against the real server (integration)
nine43_add_test(test_brain SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_brain.c LIBS nine43_play)

if(TARGET nine43-bot AND TARGET nine43-server)
  nine43_add_test(test_bot_play SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_bot_play.c
    LIBS nine43_testutil)
  add_dependencies(test_bot_play nine43-bot nine43-server)
endif()

# The bot against a scripted fake server: needs no server binary.
if(TARGET nine43-bot)
  nine43_add_test(test_bot_fake SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_bot_fake.c
    LIBS nine43_testutil)
  add_dependencies(test_bot_fake nine43-bot)
endif()
