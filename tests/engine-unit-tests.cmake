# Unit tests of the campaign engine's pure parts: no network, no event loop, no clock of their own.
# Included from tests/CMakeLists.txt, where relaybench_add_test() is defined.
relaybench_add_test(tst_campaignloader SOURCES tst_campaignloader.cpp LABELS unit)
relaybench_add_test(tst_chatresponsereader SOURCES tst_chatresponsereader.cpp LABELS unit)
relaybench_add_test(tst_enginepolicies SOURCES tst_enginepolicies.cpp LABELS unit)
relaybench_add_test(tst_requestscsv SOURCES tst_requestscsv.cpp LABELS unit)
relaybench_add_test(tst_statistics SOURCES tst_statistics.cpp LABELS unit)
relaybench_add_test(tst_pricecatalog SOURCES tst_pricecatalog.cpp LABELS unit)
relaybench_add_test(tst_costmodel SOURCES tst_costmodel.cpp LABELS unit)
relaybench_add_test(tst_usercatalog SOURCES tst_usercatalog.cpp LABELS unit)
