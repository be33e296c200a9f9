# tests/layers.cmake -- the house's shape, checked from the sources: no include circle in a folder
# of code (scripts/circles.py) and no function body over 80 lines outside tests/
# (scripts/long-functions.py)
find_program(NINE43_PYTHON3 python3 REQUIRED)
add_test(NAME test_layers_circles COMMAND ${NINE43_PYTHON3} scripts/circles.py
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
add_test(NAME test_layers_function_length COMMAND ${NINE43_PYTHON3} scripts/long-functions.py
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
