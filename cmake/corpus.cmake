# The analyzers' labelled corpus (tests/corpus/): its scorer runs the real
# binary over every page and fails below the precision/recall thresholds
# written at the top of tests/corpus/score.  It needs jq; without it the
# test is left out rather than failing for a missing tool.
find_program(SW_JQ jq)
if(SW_JQ)
  add_test(NAME corpus/score COMMAND bash ${CMAKE_SOURCE_DIR}/tests/corpus/score)
  set_tests_properties(corpus/score PROPERTIES
    ENVIRONMENT "SW_BIN=${CMAKE_BINARY_DIR};TMPDIR=${CMAKE_BINARY_DIR}/tmp"
    TIMEOUT 300)
else()
  message(STATUS "jq not found: the corpus/score test is not registered")
endif()
