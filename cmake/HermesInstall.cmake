# Installation and packaging (docs/INSTALL.md): libhermes shared (SONAME,
# exports exactly the public headers' functions) and static, headers,
# pkg-config, find_package(hermes), man pages generated from --help and
# hermes.h, bash completion, examples, the Python module, and Debian
# packages split as Debian does (cpack -G DEB / make package).
# Debian's multiarch library directory (lib/x86_64-linux-gnu), where Debian
# puts libraries, unless CMAKE_INSTALL_LIBDIR says otherwise.
if(NOT DEFINED CMAKE_INSTALL_LIBDIR AND CMAKE_LIBRARY_ARCHITECTURE)
  set(CMAKE_INSTALL_LIBDIR lib/${CMAKE_LIBRARY_ARCHITECTURE} CACHE PATH "Object code libraries (lib)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HERMES_SOVERSION 0)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# --- libhermes.so ----------------------------------------------------------
# hermes_shared (host/CMakeLists.txt): the layers' objects and the simulated
# card, exporting only the public API (host/libhermes.map).
if(NOT TARGET hermes_shared)
  message(FATAL_ERROR "HermesInstall.cmake: no hermes_shared target (host/CMakeLists.txt)")
endif()

# --- install ---------------------------------------------------------------
file(GLOB HERMES_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/host/include/hermes/*.h)
set(HERMES_SIM_ARCHIVES hermes_sim)
if(TARGET hermes_sim_trace)
  list(APPEND HERMES_SIM_ARCHIVES hermes_sim_trace hermes_verilated_fst)
endif()
# Verilator's runtime, which the models share (cmake/HermesVerilatedRuntime.cmake).
list(APPEND HERMES_SIM_ARCHIVES hermes_verilated)
# Last: both models' wrappers call it (sim/model_alloc.cpp).
list(APPEND HERMES_SIM_ARCHIVES hermes_model_alloc)

install(TARGETS hermes_shared
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev)
install(TARGETS hermes ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
# libhermes.a needs the model's archives beside it (pkg-config --static, hermes::hermes_static).
install(TARGETS ${HERMES_SIM_ARCHIVES} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}/hermes COMPONENT dev)
install(FILES ${HERMES_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hermes COMPONENT dev)

install(TARGETS hermes_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
if(TARGET xdma_fuse)
  install(TARGETS xdma_fuse RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
endif()

# pkg-config: paths relative to the .pc file (${pcfiledir}), so the file is
# right wherever the tree is installed (--prefix at install time, a package
# unpacked into another root).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  message(FATAL_ERROR "CMAKE_INSTALL_LIBDIR and CMAKE_INSTALL_INCLUDEDIR must be relative to the prefix")
endif()
file(RELATIVE_PATH HERMES_PC_PREFIX_FROM_PCDIR "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" HERMES_PC_PREFIX_FROM_PCDIR "${HERMES_PC_PREFIX_FROM_PCDIR}")
set(HERMES_PC_SIM_LIBS "")
foreach(a ${HERMES_SIM_ARCHIVES})
  string(APPEND HERMES_PC_SIM_LIBS " -l${a}")
endforeach()
configure_file(${CMAKE_SOURCE_DIR}/packaging/libhermes.pc.in ${CMAKE_BINARY_DIR}/libhermes.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/libhermes.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# find_package(hermes): relocatable (paths relative to the config file).
set(HERMES_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hermes)
set(HERMES_STATIC_DEPS "")
foreach(a ${HERMES_SIM_ARCHIVES})
  string(APPEND HERMES_STATIC_DEPS "\${HERMES_LIBRARY_DIR}/hermes/lib${a}.a;")
endforeach()
configure_package_config_file(${CMAKE_SOURCE_DIR}/packaging/hermesConfig.cmake.in
  ${CMAKE_BINARY_DIR}/hermesConfig.cmake INSTALL_DESTINATION ${HERMES_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/hermesConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/hermesConfig.cmake ${CMAKE_BINARY_DIR}/hermesConfigVersion.cmake
  DESTINATION ${HERMES_CMAKE_DIR} COMPONENT dev)

# Man pages, generated from the programs' --help and from hermes.h at build time.
set(HERMES_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(_gen_man ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen_man.py)
add_custom_command(OUTPUT ${HERMES_MAN_DIR}/hermes.1
  COMMAND ${CMAKE_COMMAND} -E make_directory ${HERMES_MAN_DIR}
  COMMAND ${_gen_man} hermes $<TARGET_FILE:hermes_cli> ${PROJECT_VERSION} ${HERMES_MAN_DIR}/hermes.1
  DEPENDS hermes_cli ${CMAKE_SOURCE_DIR}/scripts/gen_man.py
  COMMENT "hermes.1 from hermes --help")
add_custom_command(OUTPUT ${HERMES_MAN_DIR}/libhermes.3
  COMMAND ${CMAKE_COMMAND} -E make_directory ${HERMES_MAN_DIR}
  COMMAND ${_gen_man} libhermes ${CMAKE_SOURCE_DIR}/host/include/hermes/hermes.h ${PROJECT_VERSION}
          ${HERMES_MAN_DIR}/libhermes.3
  DEPENDS ${CMAKE_SOURCE_DIR}/host/include/hermes/hermes.h ${CMAKE_SOURCE_DIR}/scripts/gen_man.py
  COMMENT "libhermes.3 from hermes.h")
set(HERMES_MAN_PAGES ${HERMES_MAN_DIR}/hermes.1 ${HERMES_MAN_DIR}/libhermes.3)
if(TARGET xdma_fuse)
  add_custom_command(OUTPUT ${HERMES_MAN_DIR}/xdma-fuse.1
    COMMAND ${CMAKE_COMMAND} -E make_directory ${HERMES_MAN_DIR}
    COMMAND ${_gen_man} xdma-fuse $<TARGET_FILE:xdma_fuse> ${PROJECT_VERSION} ${HERMES_MAN_DIR}/xdma-fuse.1
    DEPENDS xdma_fuse ${CMAKE_SOURCE_DIR}/scripts/gen_man.py
    COMMENT "xdma-fuse.1 from xdma-fuse --help")
  list(APPEND HERMES_MAN_PAGES ${HERMES_MAN_DIR}/xdma-fuse.1)
  install(FILES ${HERMES_MAN_DIR}/xdma-fuse.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
endif()
add_custom_target(man ALL DEPENDS ${HERMES_MAN_PAGES})
install(FILES ${HERMES_MAN_DIR}/hermes.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
install(FILES ${HERMES_MAN_DIR}/libhermes.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev)

install(FILES ${CMAKE_SOURCE_DIR}/packaging/hermes.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME hermes COMPONENT tools)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT dev)

# The Python module (ctypes over libhermes.so.N: nothing to compile).
set(HERMES_PYTHON_DIR lib/python3/dist-packages CACHE STRING
    "Where the hermes Python module is installed, relative to the prefix")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/python/hermes DESTINATION ${HERMES_PYTHON_DIR}
  COMPONENT python PATTERN __pycache__ EXCLUDE)

# --- Debian packages: cpack -G DEB (or make package) -------------------------
# Packaging takes what is built (`make package` builds first) rather than
# rebuilding the whole test tree through the "all" target.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hermes)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Hermes developers")
set(CPACK_PACKAGE_CONTACT "Hermes developers <hermes@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "open eBPF accelerator for FPGA cards")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev tools python)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)   # as Debian ships binaries
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(_v "${PROJECT_VERSION}")
set(CPACK_DEBIAN_LIB_PACKAGE_NAME libhermes${HERMES_SOVERSION})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIB_DESCRIPTION
    "Hermes eBPF accelerator - runtime library\n libhermes drives a Hermes card through the Xilinx XDMA driver, the\n simulated card in-process, or the reference VM.")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libhermes-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libhermes${HERMES_SOVERSION} (= ${_v}), libelf-dev, libbpf-dev, zlib1g-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "Hermes eBPF accelerator - development files\n Headers, static library, pkg-config file, CMake package and libhermes(3).")
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME hermes-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "fuse3")
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "Hermes eBPF accelerator - command-line tools\n hermes (run, info, reset, asm, disasm, bench) and xdma-fuse, with man pages\n and bash completion.")
set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-hermes)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "python3, libhermes${HERMES_SOVERSION} (= ${_v})")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SHLIBDEPS OFF)
set(CPACK_COMPONENT_PYTHON_DESCRIPTION
    "Hermes eBPF accelerator - Python module\n import hermes: devices, programs, runs and queues over libhermes (ctypes).")
include(CPack)
