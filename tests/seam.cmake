# tests/seam.cmake -- the platform seam: nothing else calls the OS for what it covers, and a secret
# maker fails when the system gives no random bytes
add_test(NAME test_seam_calls
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_seam_calls.sh ${CMAKE_SOURCE_DIR})

# A system without random bytes: the shim is linked into the test and preloaded into its servers.
add_library(nine43_no_random MODULE ${CMAKE_CURRENT_SOURCE_DIR}/no_random.c)
if(TARGET nine43-server AND NINE43_BUILD_CLIENT)
  nine43_add_test(test_secrets SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_secrets.c
    ${CMAKE_CURRENT_SOURCE_DIR}/no_random.c LIBS nine43_client nine43_testutil)
  add_dependencies(test_secrets nine43-server nine43_no_random)
  set_property(TEST test_secrets APPEND PROPERTY ENVIRONMENT
    "NINE43_NO_RANDOM_LIB=$<TARGET_FILE:nine43_no_random>")
endif()
