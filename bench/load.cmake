# bench/load.cmake -- the load benchmarks against the real server (login storm, capacity, game
# load, latency): C clients on poll(2) that share nine43-bot's players (bot/botnet.c)
set(NINE43_BENCH_BOTNET ${CMAKE_SOURCE_DIR}/bot/botnet.c ${CMAKE_CURRENT_SOURCE_DIR}/benchutil.c)
foreach(b login capacity game latency)
  add_executable(bench_${b} ${CMAKE_CURRENT_SOURCE_DIR}/bench_${b}.c ${NINE43_BENCH_BOTNET})
  target_include_directories(bench_${b} PRIVATE ${CMAKE_SOURCE_DIR}/bot ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(bench_${b} PRIVATE nine43_play nine43_common)
endforeach()

if(NINE43_BUILD_TESTS AND TARGET nine43-server)
  # Tiny sizes: they prove each benchmark runs end to end; the figures come from bench/run.sh.
  add_test(NAME bench_login_smoke COMMAND bench_login --clients 20)
  add_test(NAME bench_capacity_smoke COMMAND bench_capacity --clients 40)
  add_test(NAME bench_game_smoke COMMAND bench_game --groups 2 --seconds 2 --margin 2)
  add_test(NAME bench_latency_smoke COMMAND bench_latency --samples 20)
  set_tests_properties(bench_login_smoke bench_capacity_smoke bench_game_smoke
    bench_latency_smoke PROPERTIES TIMEOUT 120)
  foreach(b login capacity game latency)
    add_dependencies(bench_${b} nine43-server)
  endforeach()
endif()
