# Finds nvml.h, used only to check libcmrprobe's NVML types, constants and struct layouts at compile time (see
# native/src/nvml_api.c). NVML is always dlopen'ed, so a missing header only skips the check.
#   CMRP_HAVE_NVML_HEADERS  nvml.h found in CMRP_NVML_INCLUDE_DIR (default: the CUDA toolkit's include directory,
#                           where the toolkit's nvml-dev component puts it) or a system include directory
#                           (Debian: libnvidia-ml-dev)
set(CMRP_NVML_INCLUDE_DIR "/usr/local/cuda/include" CACHE PATH "Directory holding nvml.h")

find_path(CMRP_NVML_HEADER_DIR NAMES nvml.h HINTS ${CMRP_NVML_INCLUDE_DIR})
if(CMRP_NVML_HEADER_DIR)
  set(CMRP_HAVE_NVML_HEADERS ON)
  message(STATUS "cmrprobe: checking NVML types against ${CMRP_NVML_HEADER_DIR}/nvml.h")
else()
  set(CMRP_HAVE_NVML_HEADERS OFF)
  message(STATUS "cmrprobe: nvml.h not found (CUDA toolkit nvml-dev, or libnvidia-ml-dev): NVML type check skipped")
endif()

# cmr_nvml_header_check(target source): the define goes to the one source that includes nvml.h; the directory is
# a SYSTEM include of the target so that NVIDIA's header is exempt from our warning set.
function(cmr_nvml_header_check target source)
  if(CMRP_HAVE_NVML_HEADERS)
    set_property(SOURCE ${source} APPEND PROPERTY COMPILE_DEFINITIONS CMRP_HAVE_NVML_HEADERS=1)
    target_include_directories(${target} SYSTEM PRIVATE ${CMRP_NVML_HEADER_DIR})
  endif()
endfunction()
