# bench/codec.cmake -- bench_codec: decode and encode throughput of wire protocol lines
add_executable(bench_codec ${CMAKE_CURRENT_SOURCE_DIR}/bench_codec.c)
target_link_libraries(bench_codec PRIVATE nine43_common PkgConfig::CJSON)
if(NINE43_BUILD_TESTS)
  # A smoke run on a tiny count: it checks that every line decodes and re-encodes, not speed.
  add_test(NAME bench_codec_smoke COMMAND bench_codec --tiny)
  set_tests_properties(bench_codec_smoke PROPERTIES TIMEOUT 60)
endif()
