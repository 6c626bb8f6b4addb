# Cross-compiles the kernels, the runner and em_run for a Cortex-M4F (SparkFun Edge class), bare metal, run
# under QEMU's mps2-an386 board with semihosting for files and the exit code (interop/baremetal/).
#   cmake -S interop -B build/cortex-m4 -DCMAKE_TOOLCHAIN_FILE=interop/cmake/arm-none-eabi-cortex-m4.cmake
# Needs the Debian packages gcc-arm-none-eabi and libnewlib-arm-none-eabi (newlib's rdimon semihosting library).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m4)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(EM_TARGET_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${EM_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${EM_TARGET_FLAGS}")
set(EM_BAREMETAL_BOARD mps2_an386)
set(EM_BAREMETAL_STARTUP startup_cortex_m4.c)
set(EM_BAREMETAL_LINK_FLAGS "--specs=rdimon.specs")
