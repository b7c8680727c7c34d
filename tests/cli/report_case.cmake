# cmake -DNBA=<tool> -DCHROMIUM=<browser> -DPYTHON=<python with PIL> -DCHECK=check_report.py
#       -DOUT=<dir> "-DARGS=<model options>" -P report_case.cmake
# Writes a report with `nba report`, has headless Chromium take a screenshot of it and checks
# both (check_report.py): one chart per predictor and model, self-contained, charts visible.
cmake_minimum_required(VERSION 3.16)
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
# --no-sandbox: CI runs as root; the other flags keep a headless run quiet and self-contained.
execute_process(COMMAND "${CHROMIUM}" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage
                        --disable-background-networking --disable-extensions --no-first-run
                        --hide-scrollbars "--user-data-dir=${OUT}/profile" --window-size=1280,2400
                        "--screenshot=${OUT}/report.png" "file://${OUT}/report.html"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT EXISTS "${OUT}/report.png")
  message(FATAL_ERROR "chromium could not take the screenshot (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND "${PYTHON}" "${CHECK}" "${OUT}/report.html" "${OUT}/report.png" "${OUT}/summary.txt"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the report failed its check:\n${out}${err}")
endif()
