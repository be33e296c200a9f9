# tests/common_sim.cmake -- the game rules and the world loader (common/sim.c, common/world.c)
nine43_add_test(test_sim SOURCES test_sim.c)
nine43_add_test(test_world SOURCES test_world.c)
