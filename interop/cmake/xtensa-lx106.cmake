# Cross-compiles the kernels, the runner and em_run for an Xtensa LX106, bare metal, run under QEMU's `sim`
# machine (-cpu lx106) with SIMCALL semihosting for files and the exit code (interop/baremetal/).
#   cmake -S interop -B build/xtensa-lx106 -DCMAKE_TOOLCHAIN_FILE=interop/cmake/xtensa-lx106.cmake
# Needs the Debian packages gcc-xtensa-lx106 and picolibc-xtensa-lx106-elf; the libgcc helpers Debian's build
# lacks come from baremetal/libgcc_lx106.c.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)
set(CMAKE_C_COMPILER xtensa-lx106-elf-gcc)
set(CMAKE_CXX_COMPILER xtensa-lx106-elf-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# Debian installs picolibc's spec file beside its library, not in gcc's search path: name it in full.
set(EM_PICOLIBC_SPECS /usr/lib/xtensa-lx106-elf/picolibc.specs)
set(EM_TARGET_FLAGS "--specs=${EM_PICOLIBC_SPECS} -mtext-section-literals")
set(CMAKE_C_FLAGS_INIT "${EM_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${EM_TARGET_FLAGS}")
set(EM_BAREMETAL_BOARD sim_lx106)
set(EM_BAREMETAL_STARTUP startup_xtensa_lx106.c)
set(EM_BAREMETAL_LINK_FLAGS "-nostartfiles")
set(EM_BAREMETAL_SUPPORT libgcc_lx106.c)
