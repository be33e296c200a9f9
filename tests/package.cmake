# package.cmake -- each program's man page documents exactly the options its --help shows; uses cmake/ManOptions.cmake and packaging/*.6.in
foreach(prog nine43 nine43-server nine43-bot)
  if(TARGET ${prog})
    add_test(NAME man_options_${prog}
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${prog}>
              -DMANPAGE=${CMAKE_SOURCE_DIR}/packaging/${prog}.6.in
              -P ${CMAKE_SOURCE_DIR}/cmake/ManOptions.cmake)
    set_tests_properties(man_options_${prog} PROPERTIES TIMEOUT 60)
  endif()
endforeach()
