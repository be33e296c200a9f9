# windows.cmake -- the Windows zip's programs under Wine, beside the Linux ones (skipped with
# the reason when `make windows` has not built the zip or Wine cannot start)
if(TARGET nine43-bot)
  set(NINE43_WIN_TEST_ZIP "${CMAKE_SOURCE_DIR}/build-win/nine43-${PROJECT_VERSION}-windows-x64.zip"
      CACHE FILEPATH "The zip test_windows_wine unpacks (make windows builds it)")
  add_test(NAME test_windows_wine
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_windows_wine.sh ${CMAKE_BINARY_DIR} ${NINE43_WIN_TEST_ZIP})
  set_tests_properties(test_windows_wine PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endif()
