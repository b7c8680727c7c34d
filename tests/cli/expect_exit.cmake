# cmake -DNBA=<tool> -DARGS="..." -DCODE=<exit status> -DSTDERR=<regex> -P expect_exit.cmake
# The tool must exit with CODE and print one line to stderr matching STDERR.
cmake_minimum_required(VERSION 3.16)
execute_process(COMMAND "${NBA}" ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "${CODE}")
  message(FATAL_ERROR "nba ${ARGS}: exit status ${rc}, expected ${CODE}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "nba ${ARGS}: stderr does not match '${STDERR}':\n${err}")
endif()
message(STATUS "exit ${rc}: ${err}")
