# Windows.cmake -- what the Windows build adds (cmake/toolchain-mingw64.cmake): the programs'
# icon and version resource (windres), the client as a windowed program, and the zip a Windows
# player unpacks (scripts/windows-package.sh, checked by scripts/check-windows-dlls.sh)
# Included from the top CMakeLists.txt instead of Package.cmake; nine43_windows_finish() runs
# after the programs' folders, once their targets exist.

set(NINE43_INSTALL_BINDIR "." CACHE STRING "Where the three programs are installed, under the prefix")
set(NINE43_WIN_ZIP "${CMAKE_BINARY_DIR}/nine43-${PROJECT_VERSION}-windows-x64.zip")

# The icon, made from packaging/'s PNGs at build time (ImageMagick), every size in one .ico.
set(nine43_icon_sizes 16 32 48 64 128 256)
set(nine43_icon_pngs "")
foreach(size ${nine43_icon_sizes})
  list(APPEND nine43_icon_pngs "${CMAKE_SOURCE_DIR}/packaging/icons/nine43-${size}.png")
endforeach()
find_program(NINE43_CONVERT convert REQUIRED)
add_custom_command(OUTPUT "${CMAKE_BINARY_DIR}/nine43.ico"
  COMMAND ${NINE43_CONVERT} ${nine43_icon_pngs} "${CMAKE_BINARY_DIR}/nine43.ico"
  DEPENDS ${nine43_icon_pngs}
  COMMENT "Making nine43.ico from packaging/icons/")
add_custom_target(nine43_icon DEPENDS "${CMAKE_BINARY_DIR}/nine43.ico")

# nine43_windows_resource(TARGET DESCRIPTION): the icon and version information on TARGET's .exe
function(nine43_windows_resource target description)
  set(NINE43_RC_NAME "${target}")
  set(NINE43_RC_DESCRIPTION "${description}")
  set(NINE43_RC_ICON "${CMAKE_BINARY_DIR}/nine43.ico")
  set(rc "${CMAKE_BINARY_DIR}/resources/${target}.rc")
  configure_file("${CMAKE_SOURCE_DIR}/packaging/windows/nine43.rc.in" "${rc}" @ONLY)
  set_source_files_properties("${rc}" PROPERTIES OBJECT_DEPENDS "${CMAKE_BINARY_DIR}/nine43.ico")
  target_sources(${target} PRIVATE "${rc}")
  add_dependencies(${target} nine43_icon)
endfunction()

function(nine43_windows_finish)
  set(programs "")
  if(TARGET nine43)
    nine43_windows_resource(nine43 "nine43, a coin race for 2 to 8 players on a LAN")
    # A windowed program: no console pops up; it logs to a file in its pref folder instead.
    set_target_properties(nine43 PROPERTIES WIN32_EXECUTABLE ON)
    list(APPEND programs nine43)
  endif()
  if(TARGET nine43-server)
    nine43_windows_resource(nine43-server "nine43 server")
    list(APPEND programs nine43-server)
  endif()
  if(TARGET nine43-bot)
    nine43_windows_resource(nine43-bot "nine43 bot players")
    list(APPEND programs nine43-bot)
  endif()
  set(exes "")
  foreach(p ${programs})
    list(APPEND exes "$<TARGET_FILE:${p}>")
  endforeach()
  add_custom_command(OUTPUT "${NINE43_WIN_ZIP}"
    COMMAND "${CMAKE_SOURCE_DIR}/scripts/windows-package.sh" "${NINE43_WIN_ZIP}" "${NINE43_WIN_PREFIX}"
            ${exes}
    DEPENDS ${programs} "${CMAKE_SOURCE_DIR}/scripts/windows-package.sh"
            "${CMAKE_SOURCE_DIR}/packaging/windows/README-windows.txt"
    COMMENT "Packing ${NINE43_WIN_ZIP}")
  add_custom_target(windows-zip DEPENDS "${NINE43_WIN_ZIP}")
endfunction()
