# cmake -DNBA=<tool> -DOUT=<file> "-DARGS=<replay args>" -DSUMMARY=<regex> -P save_case.cmake
# `nba replay --save` writes what it learned; `nba inspect --summary` reads it back.
cmake_minimum_required(VERSION 3.16)
file(REMOVE "${OUT}")
execute_process(COMMAND "${NBA}" replay ${ARGS} --save "${OUT}" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT EXISTS "${OUT}")
  message(FATAL_ERROR "nba replay --save: exit status ${rc}, ${err}")
endif()
execute_process(COMMAND "${NBA}" inspect --model "${OUT}" --summary RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "${SUMMARY}")
  message(FATAL_ERROR "nba inspect of the saved models: exit status ${rc}, output does not match '${SUMMARY}':\n${out}${err}")
endif()
message(STATUS "${out}")
