# nba_target_warnings(<target>): the warning set nba's own targets are built with. Public headers
# must stay clean under exactly the flags users turn on (-Wall -Wextra -Wpedantic -Wconversion
# -Wshadow); NBA_WARNINGS_AS_ERRORS makes any warning fail the build.
function(nba_target_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(NBA_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
                                             -Wsign-conversion -Wnon-virtual-dtor -Wold-style-cast)
    if(NBA_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
