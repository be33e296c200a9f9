# bench/load.cmake -- the load benchmarks against the real server (login storm, capacity, game
# load, latency): C clients on poll(2), the same players as nine43-bot (the nine43_bot library)
if(NOT TARGET nine43_bot)
  return() # NINE43_BUILD_BOT=OFF: no players to load the server with
endif()
foreach(b login capacity game latency)
  add_executable(bench_${b} ${CMAKE_CURRENT_SOURCE_DIR}/bench_${b}.c
    ${CMAKE_CURRENT_SOURCE_DIR}/benchutil.c)
  target_include_directories(bench_${b} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(bench_${b} PRIVATE nine43_bot nine43_proc)
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
