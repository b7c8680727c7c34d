# cmake -DNBA=<tool> -DCHROMIUM=<browser> -DPYTHON=<python with PIL> -DCHECK=check_report.py
#       -DOUT=<dir> "-DARGS=<model options>" -P report_case.cmake
# Writes a report with `nba report`, has headless Chromium take a screenshot of it and checks
# both (check_report.py): one chart per predictor and model, self-contained, charts visible.
cmake_minimum_required(VERSION 3.16)
include("${CMAKE_CURRENT_LIST_DIR}/screenshot.cmake")
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${NBA}" report ${ARGS} --output "${OUT}/report.html" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nba report failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${NBA}" inspect ${ARGS} --summary RESULT_VARIABLE rc OUTPUT_FILE "${OUT}/summary.txt"
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nba inspect --summary failed (${rc}): ${err}")
endif()
nba_screenshot("${OUT}/report.html" "${OUT}/report.png" 1280,2400)
execute_process(COMMAND "${PYTHON}" "${CHECK}" "${OUT}/report.html" "${OUT}/report.png" "${OUT}/summary.txt"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the report failed its check:\n${out}${err}")
endif()
