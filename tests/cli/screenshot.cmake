# include()d by the browser tests (report_case.cmake, reliability_case.cmake):
#   nba_screenshot(<page.html> <shot.png> <width,height>) — headless Chromium (${CHROMIUM}) takes a
#   screenshot of the page; a fatal error when it cannot.
function(nba_screenshot page png size)
  get_filename_component(_dir "${png}" DIRECTORY)
  # --no-sandbox: CI runs as root; the other flags keep a headless run quiet and self-contained.
  execute_process(COMMAND "${CHROMIUM}" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage
                          --disable-background-networking --disable-extensions --no-first-run
                          --hide-scrollbars "--user-data-dir=${_dir}/profile" --window-size=${size}
                          "--screenshot=${png}" "file://${page}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${png}")
    message(FATAL_ERROR "chromium could not take the screenshot (${rc}):\n${out}\n${err}")
  endif()
endfunction()
