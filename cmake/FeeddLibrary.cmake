# feedd_library(): one library per folder, linked to exactly what its files
# include. Every call is recorded, and the layering check
# (cmake/check_layering.py, run by every build) compares the recorded links
# with the #include lines: a library that includes a header of a library it
# does not link, links one it does not include, reaches a later stage, or
# forms a cycle fails the build.
#
#   feedd_library(feedd_render
#     SOURCES feed_view.cc ...
#     PUBLIC feedd_index pugixml::pugixml     # what its headers include
#     PRIVATE nlohmann_json::nlohmann_json)   # what only its .cc files include
set(FEEDD_LIBRARY_TARGETS "" CACHE INTERNAL "")
function(feedd_library name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;PUBLIC;PRIVATE")
  if(ARG_SOURCES)
    add_library(${name} STATIC ${ARG_SOURCES})
    target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE feedd_warnings ${ARG_PRIVATE})
  else()
    # Headers only.
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${ARG_PUBLIC})
  endif()
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(REPLACE ";" "," public "${ARG_PUBLIC}")
  string(REPLACE ";" "," private "${ARG_PRIVATE}")
  set_property(GLOBAL APPEND PROPERTY FEEDD_LIBRARIES "${name}|${folder}|${public}|${private}")
  # Every library, for the test and benchmark binaries that use them all.
  set(FEEDD_LIBRARY_TARGETS ${FEEDD_LIBRARY_TARGETS} ${name} CACHE INTERNAL "")
endfunction()

# Writes the recorded libraries and adds the check to the default build.
function(feedd_check_layering)
  get_property(libraries GLOBAL PROPERTY FEEDD_LIBRARIES)
  string(REPLACE ";" "\n" lines "${libraries}")
  file(WRITE ${PROJECT_BINARY_DIR}/layering.txt "${lines}\n")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/feeds/*.h ${PROJECT_SOURCE_DIR}/feeds/*.cc
       ${PROJECT_SOURCE_DIR}/config/*.h ${PROJECT_SOURCE_DIR}/config/*.cc
       ${PROJECT_SOURCE_DIR}/daemon/*.h ${PROJECT_SOURCE_DIR}/daemon/*.cc)
  add_custom_command(
    OUTPUT ${PROJECT_BINARY_DIR}/layering.ok
    COMMAND ${FEEDD_PYTHON} ${PROJECT_SOURCE_DIR}/cmake/check_layering.py
            ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/layering.txt
    COMMAND ${CMAKE_COMMAND} -E touch ${PROJECT_BINARY_DIR}/layering.ok
    DEPENDS ${sources} ${PROJECT_BINARY_DIR}/layering.txt ${PROJECT_SOURCE_DIR}/cmake/check_layering.py
    COMMENT "Checking that every library links exactly what it includes")
  add_custom_target(layering ALL DEPENDS ${PROJECT_BINARY_DIR}/layering.ok)
endfunction()
