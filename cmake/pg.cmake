# PostgreSQL backend: libpq, and the PostgreSQL migrations embedded the way
# the SQLite ones are (included at the end of CMakeLists.txt).  src/store/pg.c
# itself is picked up by swlib's glob of src/store/*.c.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

sw_embed_migrations(pg)
target_sources(swlib PRIVATE ${SW_GEN}/migrations_pg.c)
# PUBLIC: the unit tests' helper (tests/unit/testutil.h) makes a fresh
# schema per test with libpq when SW_TEST_STORE_URL names a PostgreSQL.
target_link_libraries(swlib PUBLIC PkgConfig::LIBPQ)
target_compile_definitions(swlib PUBLIC SW_HAVE_PG=1)
