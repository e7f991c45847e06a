# Verilator's runtime, built once for every verilated model.
#
# verilate() adds the runtime (verilated.cpp, verilated_threads.cpp and,
# with TRACE_FST, verilated_fst_c.cpp) to the sources of each target it is
# called on, so each of the project's models compiled its own copy (about
# 10 CPU-seconds each). These .cpp files do not depend on the model: they
# read none of the VM_* switches verilate() defines (verilated.h only maps
# VM_TRACE to WAVES), so one build serves every model, traced or not.
# hermes_verilated is the runtime, hermes_verilated_fst the FST writer on
# top of it; both are -O2 and PIC, as libhermes.so links them. A program
# that links several models (libhermes: hermes_sim and hermes_sim_trace;
# test_core_engine: its engine and libhermes) gets one copy of each.
set(HERMES_VERILATED_INCLUDE ${VERILATOR_ROOT}/include)

add_library(hermes_verilated STATIC
  ${HERMES_VERILATED_INCLUDE}/verilated.cpp ${HERMES_VERILATED_INCLUDE}/verilated_threads.cpp)
target_include_directories(hermes_verilated PUBLIC ${HERMES_VERILATED_INCLUDE} ${HERMES_VERILATED_INCLUDE}/vltstd)
target_compile_definitions(hermes_verilated PRIVATE VM_COVERAGE=0 VM_SC=0 VM_TRACE=0 VM_TRACE_VCD=0 VM_TRACE_FST=0)
target_compile_options(hermes_verilated PRIVATE -O2)
target_link_libraries(hermes_verilated PUBLIC ${VERILATOR_MT_CFLAGS})
set_target_properties(hermes_verilated PROPERTIES POSITION_INDEPENDENT_CODE ON)

find_package(ZLIB) # the FST writer compresses with zlib
if(ZLIB_FOUND)
  # Built only when a traced model links it.
  add_library(hermes_verilated_fst STATIC EXCLUDE_FROM_ALL ${HERMES_VERILATED_INCLUDE}/verilated_fst_c.cpp)
  target_compile_definitions(hermes_verilated_fst PRIVATE VM_COVERAGE=0 VM_SC=0 VM_TRACE=1 VM_TRACE_VCD=0 VM_TRACE_FST=1)
  target_compile_options(hermes_verilated_fst PRIVATE -O2)
  target_link_libraries(hermes_verilated_fst PUBLIC hermes_verilated ZLIB::ZLIB)
  set_target_properties(hermes_verilated_fst PROPERTIES POSITION_INDEPENDENT_CODE ON)
endif()

# hermes_use_shared_verilated_runtime(TARGET), right after verilate(TARGET
# ...): the runtime files verilate() added leave TARGET's sources, and
# TARGET links the libraries above instead. Runtime files of other options
# (coverage, VCD, timing) stay in TARGET.
function(hermes_use_shared_verilated_runtime target)
  get_target_property(srcs ${target} SOURCES)
  set(runtime ${HERMES_VERILATED_INCLUDE}/verilated.cpp ${HERMES_VERILATED_INCLUDE}/verilated_threads.cpp)
  if(NOT ${HERMES_VERILATED_INCLUDE}/verilated.cpp IN_LIST srcs)
    message(FATAL_ERROR "hermes_use_shared_verilated_runtime(${target}): no verilated.cpp among its sources (call it after verilate())")
  endif()
  set(lib hermes_verilated)
  if(${HERMES_VERILATED_INCLUDE}/verilated_fst_c.cpp IN_LIST srcs)
    if(NOT TARGET hermes_verilated_fst)
      message(FATAL_ERROR "${target}: FST tracing needs zlib")
    endif()
    list(APPEND runtime ${HERMES_VERILATED_INCLUDE}/verilated_fst_c.cpp)
    set(lib hermes_verilated_fst)
  endif()
  list(REMOVE_ITEM srcs ${runtime})
  set_property(TARGET ${target} PROPERTY SOURCES ${srcs})
  target_link_libraries(${target} PUBLIC ${lib})
endfunction()
