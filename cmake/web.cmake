# The dashboard (web/) compiled into the binary: tools/sw_embed_web.c turns
# its files, and ECharts' dist file from web/node_modules (installed by
# scripts/setup with `npm ci`), into ${SW_GEN}/webfiles.c, a sorted table
# that src/server/static.c serves.  Included from CMakeLists.txt after swlib.
add_executable(sw_embed_web ${CMAKE_SOURCE_DIR}/tools/sw_embed_web.c)

set(SW_WEB ${CMAKE_SOURCE_DIR}/web)
file(MAKE_DIRECTORY ${SW_GEN})
file(GLOB_RECURSE SW_WEB_ALL CONFIGURE_DEPENDS RELATIVE ${SW_WEB} ${SW_WEB}/*)
set(SW_WEB_ARGS "")
set(SW_WEB_DEPS "")
foreach(rel IN LISTS SW_WEB_ALL)
  # npm's files and anything hidden stay out of the binary.
  if(rel MATCHES "^node_modules/" OR rel MATCHES "(^|/)\\." OR
     rel MATCHES "^package(-lock)?\\.json$" OR rel MATCHES "README")
    continue()
  endif()
  list(APPEND SW_WEB_ARGS "/${rel}=${SW_WEB}/${rel}")
  list(APPEND SW_WEB_DEPS ${SW_WEB}/${rel})
endforeach()

# ECharts (Apache-2.0, its licence travels with it) from npm.  Without it
# the binary still builds, so that work on other modules is not held up by
# a missing `npm ci`, but the dashboard's charts then show an error and the
# browser tests fail: this warning says why.
set(SW_ECHARTS ${SW_WEB}/node_modules/echarts)
if(EXISTS ${SW_ECHARTS}/dist/echarts.esm.min.js)
  list(APPEND SW_WEB_ARGS
       "/vendor/echarts.esm.min.js=${SW_ECHARTS}/dist/echarts.esm.min.js"
       "/vendor/echarts-LICENSE.txt=${SW_ECHARTS}/LICENSE")
  list(APPEND SW_WEB_DEPS ${SW_ECHARTS}/dist/echarts.esm.min.js ${SW_ECHARTS}/LICENSE)
else()
  message(WARNING "web/node_modules/echarts is missing (run scripts/setup): "
                  "the dashboard is built without its charts")
endif()

add_custom_command(
  OUTPUT ${SW_GEN}/webfiles.c
  COMMAND sw_embed_web ${SW_GEN}/webfiles.c ${SW_WEB_ARGS}
  DEPENDS sw_embed_web ${SW_WEB_DEPS}
  COMMENT "Embedding the dashboard (web/)"
  VERBATIM)
target_sources(swlib PRIVATE ${SW_GEN}/webfiles.c ${CMAKE_SOURCE_DIR}/src/server/static.c)
