# cmake -DNBA=<nba tool> -DCHECK=<check_scores> -DOUT=<file> -DARGS="score;--input;...' -P score_case.cmake
# Runs `nba ARGS --output OUT`, then the checker on OUT.
cmake_minimum_required(VERSION 3.16)
execute_process(COMMAND "${NBA}" ${ARGS} --output "${OUT}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nba ${ARGS} failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${CHECK}" "${OUT}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the scores in ${OUT} are wrong: ${out}${err}")
endif()
