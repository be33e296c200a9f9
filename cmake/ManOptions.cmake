# ManOptions.cmake -- cmake -P script: fails when PROGRAM's --help and the OPTIONS section of its man page MANPAGE name different options; uses only CMake
# Usage: cmake -DPROGRAM=path/to/nine43-server -DMANPAGE=packaging/nine43-server.6.in -P ManOptions.cmake
if(NOT PROGRAM OR NOT MANPAGE)
  message(FATAL_ERROR "usage: cmake -DPROGRAM=... -DMANPAGE=... -P ManOptions.cmake")
endif()
get_filename_component(prog_name "${PROGRAM}" NAME)

execute_process(COMMAND "${PROGRAM}" --help
  OUTPUT_VARIABLE help ERROR_VARIABLE help_err RESULT_VARIABLE rc TIMEOUT 30)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${prog_name} --help exited with ${rc}: ${help_err}")
endif()
# Every --word anywhere in the help: the usage line, the table and the prose name only options.
string(REGEX MATCHALL "--[a-z][a-z0-9-]*" help_opts "${help}")
list(REMOVE_DUPLICATES help_opts)

file(READ "${MANPAGE}" man)
# Only the OPTIONS section: elsewhere a page may quote other programs' options (systemctl --now).
string(FIND "${man}" "\n.SH OPTIONS\n" start)
if(start LESS 0)
  message(FATAL_ERROR "${MANPAGE} has no OPTIONS section")
endif()
string(SUBSTRING "${man}" ${start} -1 section)
string(SUBSTRING "${section}" 1 -1 rest)
string(FIND "${rest}" "\n.SH " end)
if(end GREATER_EQUAL 0)
  string(SUBSTRING "${rest}" 0 ${end} section)
endif()
string(REPLACE "\\-" "-" section "${section}") # roff writes a real hyphen as \-
string(REGEX MATCHALL "--[a-z][a-z0-9-]*" man_opts "${section}")
list(REMOVE_DUPLICATES man_opts)

set(missing ${help_opts})
list(REMOVE_ITEM missing ${man_opts})
set(extra ${man_opts})
list(REMOVE_ITEM extra ${help_opts})
if(missing OR extra)
  message(FATAL_ERROR "${prog_name} and ${MANPAGE} disagree:\n"
                      "  in --help, not in the man page: ${missing}\n"
                      "  in the man page, not in --help: ${extra}")
endif()
list(LENGTH help_opts n)
message(STATUS "${prog_name}: the man page documents all ${n} options of --help, and no other")
