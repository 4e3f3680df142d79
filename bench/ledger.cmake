# bench/ledger's measuring program (included from CMakeLists.txt): links
# the library like the tools in tests/tools.
add_executable(sw_bench_ledger ${CMAKE_SOURCE_DIR}/bench/ledger.c)
target_link_libraries(sw_bench_ledger PRIVATE swlib)
