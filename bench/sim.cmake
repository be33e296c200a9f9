# bench/sim.cmake -- bench_sim: simulation cost per player-tick for 8-player games
add_executable(bench_sim ${CMAKE_CURRENT_SOURCE_DIR}/bench_sim.c)
target_link_libraries(bench_sim PRIVATE nine43_common)
if(NINE43_BUILD_TESTS)
  # A tiny run proves it works; the figure itself comes from a run by hand (see README).
  add_test(NAME bench_sim_smoke COMMAND bench_sim --ticks 300 --games 1)
  set_tests_properties(bench_sim_smoke PROPERTIES TIMEOUT 60)
endif()
