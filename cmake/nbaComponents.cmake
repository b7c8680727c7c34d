# nba's opt-in components (the table is in nbaDependencies.cmake): an INTERFACE target each,
# nba::json, nba::pega and nba::pega_model_data, linking the core and the one dependency the
# component adds. The core target, nba::nba, is defined in the top-level CMakeLists.txt and links
# nothing.
#
# NBA_WITH_JSON, NBA_WITH_PEGA, NBA_WITH_PEGA_MODEL_DATA choose them: AUTO (the default) builds a
# component when its dependency is found, ON requires it (configuring fails without the
# dependency), OFF leaves it out. nba's own tests, tools, examples and benchmarks use components,
# so when they are on, AUTO means ON for the components they use.
include("${CMAKE_CURRENT_LIST_DIR}/nbaDependencies.cmake")

# which components nba's own programs use
set(_nba_used_by_build "")
if(NBA_BUILD_EXAMPLES)
  list(APPEND _nba_used_by_build json pega)
endif()
if(NBA_BUILD_BENCHMARKS)
  list(APPEND _nba_used_by_build json)
endif()
if(NBA_BUILD_TESTS OR NBA_BUILD_TOOLS)
  list(APPEND _nba_used_by_build json pega pega_model_data)
endif()

set(NBA_COMPONENTS "")  # the components this build defines (and installs), in dependency order
foreach(_nba_c IN LISTS nba_known_components)
  string(TOUPPER "NBA_WITH_${_nba_c}" _nba_option)
  set(${_nba_option} AUTO CACHE STRING
      "nba::${_nba_c}: AUTO (when its dependency is found), ON (required) or OFF")
  set_property(CACHE ${_nba_option} PROPERTY STRINGS AUTO ON OFF)
  set(_nba_mode "${${_nba_option}}")
  string(TOUPPER "${_nba_mode}" _nba_mode)
  if(NOT _nba_mode MATCHES "^(AUTO|ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
    message(FATAL_ERROR "${_nba_option} is '${${_nba_option}}'; use AUTO, ON or OFF")
  endif()
  list(FIND _nba_used_by_build ${_nba_c} _nba_used)
  if(_nba_mode MATCHES "^(OFF|FALSE|NO|0)$")
    if(NOT _nba_used EQUAL -1)
      message(FATAL_ERROR "${_nba_option} is OFF, but nba's tests, tools, examples or benchmarks use "
                          "nba::${_nba_c}; turn those off (NBA_BUILD_TESTS, NBA_BUILD_TOOLS, "
                          "NBA_BUILD_EXAMPLES, NBA_BUILD_BENCHMARKS) or the component on")
    endif()
    message(STATUS "nba: component ${_nba_c} off (${_nba_option}=OFF)")
    continue()
  endif()
  set(_nba_required FALSE)
  if(NOT _nba_mode STREQUAL "AUTO" OR NOT _nba_used EQUAL -1)
    set(_nba_required TRUE)
  endif()
  # the components it builds on, then its own dependency
  set(_nba_reason "")
  foreach(_nba_r IN LISTS _nba_component_${_nba_c}_requires)
    list(FIND NBA_COMPONENTS ${_nba_r} _nba_have)
    if(_nba_have EQUAL -1)
      set(_nba_reason "nba's ${_nba_c} component needs its ${_nba_r} component, which is not built")
    endif()
  endforeach()
  if(_nba_reason STREQUAL "")
    _nba_find_component_dependency(${_nba_c} _nba_found _nba_reason)
  endif()
  if(NOT _nba_reason STREQUAL "")
    if(_nba_required AND NOT _nba_mode STREQUAL "AUTO")
      message(FATAL_ERROR "${_nba_reason}\n(${_nba_option}=${${_nba_option}} asks for it.)")
    elseif(_nba_required)
      message(FATAL_ERROR "${_nba_reason}\n(nba's own tests, tools, examples or benchmarks use it. "
                          "A build of the core alone needs nothing: -DNBA_BUILD_TESTS=OFF "
                          "-DNBA_BUILD_TOOLS=OFF -DNBA_BUILD_EXAMPLES=OFF -DNBA_BUILD_BENCHMARKS=OFF.)")
    endif()
    message(STATUS "nba: component ${_nba_c} off: ${_nba_reason}")
    continue()
  endif()

  add_library(nba_${_nba_c} INTERFACE)
  add_library(nba::${_nba_c} ALIAS nba_${_nba_c})
  set_target_properties(nba_${_nba_c} PROPERTIES EXPORT_NAME ${_nba_c})
  target_link_libraries(nba_${_nba_c} INTERFACE nba)
  foreach(_nba_r IN LISTS _nba_component_${_nba_c}_requires)
    target_link_libraries(nba_${_nba_c} INTERFACE nba_${_nba_r})
  endforeach()
  if(NOT _nba_component_${_nba_c}_target STREQUAL "")
    target_link_libraries(nba_${_nba_c} INTERFACE ${_nba_component_${_nba_c}_target})
  endif()
  list(APPEND NBA_COMPONENTS ${_nba_c})
endforeach()
message(STATUS "nba: core nba::nba (no dependencies); components: ${NBA_COMPONENTS}")

# nba_component_of(<header> <out_var>): the component a public header belongs to ("core" or one of
# the components above), for a header path relative to include/ (e.g. nba/json/model.hpp). The
# packaging tests compile each header against its own component only.
function(nba_component_of header out_var)
  if(header MATCHES "^nba/pega/model_data\\.hpp$")
    set(${out_var} pega_model_data PARENT_SCOPE)
  elseif(header MATCHES "^nba/pega(\\.hpp$|/)")
    set(${out_var} pega PARENT_SCOPE)
  elseif(header MATCHES "^nba/(json\\.hpp$|json/|detail/json_reader\\.hpp$)")
    set(${out_var} json PARENT_SCOPE)
  else()
    set(${out_var} core PARENT_SCOPE)
  endif()
endfunction()
