# cmr_enable_warnings(target): the warning set every libcmrprobe source compiles under. Warnings are errors by
# default (CMRP_WARNINGS_AS_ERRORS) so that, among others, an OpenCL/CUDA prototype mismatch stops the build.
option(CMRP_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" ON)

function(cmr_enable_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wstrict-prototypes
    -Wmissing-prototypes -Wformat=2 -Wundef -Werror=incompatible-pointer-types -Werror=implicit-function-declaration)
  if(CMRP_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
