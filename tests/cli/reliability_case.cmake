# cmake -DNBA=<tool> -DCHROMIUM=<browser> -DPYTHON=<python with PIL> -DCHECK=check_reliability.py
#       -DOUT=<dir> "-DARGS=<replay options>" -P reliability_case.cmake
# Replays with --save-predictions and --json, draws the predictions' reliability curve with
# `nba report --replay`, has headless Chromium take a screenshot of the page and checks all three
# (check_reliability.py): the replay's ECE and the page's bins against a computation of its own
# from the predictions file, and the charts on screen.
cmake_minimum_required(VERSION 3.16)
include("${CMAKE_CURRENT_LIST_DIR}/screenshot.cmake")
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${NBA}" replay ${ARGS} --save-predictions "${OUT}/predictions.csv" --json
                RESULT_VARIABLE rc OUTPUT_FILE "${OUT}/replay.json" ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nba replay failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${NBA}" report --replay "${OUT}/predictions.csv" --title "calibration check"
                        --output "${OUT}/report.html" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nba report --replay failed (${rc}): ${err}")
endif()
nba_screenshot("${OUT}/report.html" "${OUT}/report.png" 1280,1000)
execute_process(COMMAND "${PYTHON}" "${CHECK}" "${OUT}/replay.json" "${OUT}/predictions.csv" "${OUT}/report.html"
                        "${OUT}/report.png" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the calibration failed its check:\n${out}${err}")
endif()
