# PostgreSQL backend: libpq, and the PostgreSQL migrations embedded the way
# the SQLite ones are (included at the end of CMakeLists.txt).  src/store/pg.c
# itself is picked up by swlib's glob of src/store/*.c.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

file(GLOB SW_MIGRATIONS_PG CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/store/migrations/pg/*.sql
     ${CMAKE_SOURCE_DIR}/src/store/migrations/common/*.sql)
add_custom_command(
  OUTPUT ${SW_GEN}/migrations_pg.c
  COMMAND ${CMAKE_COMMAND} -DDIALECT=pg
          -DSRC_DIR=${CMAKE_SOURCE_DIR}/src/store/migrations/pg
          -DCOMMON_DIR=${CMAKE_SOURCE_DIR}/src/store/migrations/common
          -DOUT=${SW_GEN}/migrations_pg.c -P ${CMAKE_SOURCE_DIR}/cmake/embed_sql.cmake
  DEPENDS ${SW_MIGRATIONS_PG} ${CMAKE_SOURCE_DIR}/cmake/embed_sql.cmake
  COMMENT "Embedding PostgreSQL migrations")
target_sources(swlib PRIVATE ${SW_GEN}/migrations_pg.c)
# PUBLIC: the unit tests' helper (tests/unit/testutil.h) makes a fresh
# schema per test with libpq when SW_TEST_STORE_URL names a PostgreSQL.
target_link_libraries(swlib PUBLIC PkgConfig::LIBPQ)
target_compile_definitions(swlib PUBLIC SW_HAVE_PG=1)
