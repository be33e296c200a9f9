# Package.cmake -- install rules for the desktop side (menu entry, icons, metainfo, man pages, systemd unit, Debian docs) and the CPack .deb; uses packaging/, gzip, GNUInstallDirs
# Included from the top CMakeLists.txt before the programs' folders, which install into
# NINE43_INSTALL_BINDIR.

# `make install` keeps bin/; the Debian package passes "games", as Debian's policy puts games in
# /usr/games.
set(NINE43_INSTALL_BINDIR "${CMAKE_INSTALL_BINDIR}" CACHE STRING
    "Where the three programs are installed, under the prefix (the .deb uses games)")
# AppStream wants a reverse-DNS id; the project owns no domain yet, so it uses the same reserved
# .invalid name as the maintainer address. Changing it later needs a <provides><id> of the old one.
set(NINE43_APPSTREAM_ID "invalid.nine43.nine43")
set(NINE43_SCREENSHOT_URL "https://nine43.invalid/screenshots/game.png" CACHE STRING
    "Public address of docs/screenshots/game.png, for the AppStream metainfo")
set(NINE43_RELEASE_DATE "2026-11-28")

set(NINE43_PKG_SRC "${CMAKE_SOURCE_DIR}/packaging")
set(NINE43_PKG_OUT "${CMAKE_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${NINE43_PKG_OUT}")

# The changelog is Debian's record of the package's versions: its newest entry must be this one.
file(STRINGS "${NINE43_PKG_SRC}/changelog" nine43_changelog_top LIMIT_COUNT 1)
if(NOT nine43_changelog_top MATCHES "^nine43 \\(${PROJECT_VERSION}\\) ")
  message(WARNING "packaging/changelog does not start with version ${PROJECT_VERSION}: "
                  "add an entry before building the package")
endif()

# nine43_gzip_file(SRC DST): DST is SRC compressed without a timestamp (reproducible, and as
# lintian wants it), remade whenever SRC changes.
function(nine43_gzip_file src dst)
  add_custom_command(OUTPUT "${dst}"
    COMMAND gzip -n -9 -c "${src}" > "${dst}"
    DEPENDS "${src}"
    VERBATIM)
endfunction()

set(nine43_gz_files "${NINE43_PKG_OUT}/changelog.gz")
nine43_gzip_file("${NINE43_PKG_SRC}/changelog" "${NINE43_PKG_OUT}/changelog.gz")
foreach(page nine43 nine43-server nine43-bot)
  configure_file("${NINE43_PKG_SRC}/${page}.6.in" "${NINE43_PKG_OUT}/${page}.6" @ONLY)
  nine43_gzip_file("${NINE43_PKG_OUT}/${page}.6" "${NINE43_PKG_OUT}/${page}.6.gz")
  list(APPEND nine43_gz_files "${NINE43_PKG_OUT}/${page}.6.gz")
  install(FILES "${NINE43_PKG_OUT}/${page}.6.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man6")
endforeach()
add_custom_target(nine43_package_docs ALL DEPENDS ${nine43_gz_files})

configure_file("${NINE43_PKG_SRC}/nine43.metainfo.xml.in"
               "${NINE43_PKG_OUT}/${NINE43_APPSTREAM_ID}.metainfo.xml" @ONLY)
# The unit names the server by its installed path.
set(NINE43_SERVER_EXE "${CMAKE_INSTALL_PREFIX}/${NINE43_INSTALL_BINDIR}/nine43-server")
configure_file("${NINE43_PKG_SRC}/nine43-server.service.in" "${NINE43_PKG_OUT}/nine43-server.service"
               @ONLY)

if(NINE43_BUILD_CLIENT)
  install(FILES "${NINE43_PKG_SRC}/nine43.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
  install(FILES "${NINE43_PKG_OUT}/${NINE43_APPSTREAM_ID}.metainfo.xml"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
  install(FILES "${NINE43_PKG_SRC}/nine43.svg"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
  foreach(size 16 32 48 64 128 256)
    install(FILES "${NINE43_PKG_SRC}/icons/nine43-${size}.png"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
            RENAME nine43.png)
  endforeach()
endif()
if(NINE43_BUILD_SERVER)
  # lib/systemd/system under the prefix: /usr/lib/systemd/system for the package, and
  # /usr/local/lib/systemd/system (also searched by systemd) for `make install`.
  install(FILES "${NINE43_PKG_OUT}/nine43-server.service" DESTINATION lib/systemd/system)
endif()
install(FILES "${NINE43_PKG_SRC}/copyright" "${NINE43_PKG_OUT}/changelog.gz"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# assets/fonts holds byte for byte the DejaVu Sans Mono of Debian's fonts-dejavu-core. The .deb
# links to those files instead of carrying a second copy, as Debian's policy asks (lintian:
# duplicate-font-file); `make install` keeps the copies. The links are relative, as Debian wants
# within /usr: share/nine43/assets/fonts -> share/fonts/truetype/dejavu.
option(NINE43_SYSTEM_FONTS "Install links to Debian's DejaVu fonts, not copies (the .deb)" OFF)
function(nine43_link_system_fonts)
  install(CODE "
    foreach(font DejaVuSansMono.ttf DejaVuSansMono-Bold.ttf)
      set(dst \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/nine43/assets/fonts/\${font}\")
      file(REMOVE \"\${dst}\")
      file(CREATE_LINK \"../../../fonts/truetype/dejavu/\${font}\" \"\${dst}\" SYMBOLIC)
    endforeach()
    # Its text is in the package's copyright file, and in fonts-dejavu-core's.
    file(REMOVE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/nine43/assets/fonts/LICENSE-DejaVu.txt\")")
endfunction()
# DejaVu Sans is the client's first fallback for scripts its own font lacks (client/ui.c), so
# it is needed either way; Symbola draws emoji and symbols, Noto CJK Chinese, Japanese, Korean.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-symbola")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "fonts-noto-cjk")
if(NINE43_SYSTEM_FONTS)
  # Deferred to the end of the top CMakeLists.txt, so that it runs after the assets are installed.
  cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL nine43_link_system_fonts)
endif()

# The .deb (`make package`, which configures with CMAKE_INSTALL_PREFIX=/usr).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nine43)
set(CPACK_PACKAGE_VENDOR "the nine43 team")
set(CPACK_PACKAGE_CONTACT "nine43 team <team@nine43.invalid>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fast top-down coin race for 2 to 8 players on a LAN")
# Lines under 80 columns for dpkg; CPack indents them and turns the empty line into " .".
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "Grab coins, dash into rivals to steal a point, and have the most when the\n"
  "clock runs out. One player hosts a game with a click, friends on the same\n"
  "network join it from a list, everybody votes for one of the worlds, races\n"
  "for a minute, sees the results and goes again.\n"
  "\n"
  "The package holds the SDL2 game nine43, the dedicated server nine43-server\n"
  "(with a systemd unit, not enabled on installation) and nine43-bot, headless\n"
  "players for filling a lobby or testing a server.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION games)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
