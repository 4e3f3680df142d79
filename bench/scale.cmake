# bench/scale's measuring program for the store's write throughput
# (included from CMakeLists.txt): links the library like the tools.
add_executable(sw_bench_scale_write ${CMAKE_SOURCE_DIR}/bench/scale_write.c)
target_link_libraries(sw_bench_scale_write PRIVATE swlib)
