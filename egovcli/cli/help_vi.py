"""The Vietnamese help of every command and option (egov's default language; the English help is
written beside each option in the command's own module).

Keys: a command's path ("rank", "rules show", "" for egov itself) for its help, and "path --option"
/ "path ARGUMENT" for a parameter's; a bare "--option" serves every command that shares the option
(--workspace, --format, --out). tests/test_cli_help.py fails until every command and option has its
Vietnamese help here, ending like its English one with the default: "(mặc định: …)".
"""

from __future__ import annotations

_FORMAT = ("Định dạng dữ liệu xuất: table (bảng), csv, json (mặc định: table; có --out thì theo đuôi tệp:"
           " .csv, .json, .txt/.md là bảng).")
_OUT = ("Ghi dữ liệu vào tệp này ('-': stdout). Liên kết được đi theo, thiết bị hoặc FIFO được ghi vào;"
        " không bao giờ ghi đè thư mục, workspace hay tệp đầu vào (mặc định: stdout).")
_RULES_INDICATORS = ("Bộ tiêu chí (tên có sẵn hoặc tệp .yaml) có chỉ số riêng (indicators:) cũng được tính,"
                     " như khi chấm điểm bằng nó (mặc định: chỉ danh mục có sẵn).")

_ALL = ("Hiện mọi dòng trong bảng trên màn hình (mặc định: bảng dài được tóm tắt: số đếm, các dòng đầu và"
        " cuối mỗi nhóm; --format csv/json luôn có đủ mọi dòng).")

HELP: dict[str, str] = {
    "": "Chấm điểm và xếp hạng báo cáo ứng dụng CNTT / chính quyền điện tử / chuyển đổi số của các cơ quan:"
        " đọc báo cáo (ingest) → chấm điểm (score) → xếp hạng (rank), kiểm tra bảng xếp hạng đã công bố"
        " (verify).",
    "--version": "In phiên bản egov rồi thoát.",
    "--help": "Hiện hướng dẫn này rồi thoát.",
    "--lang": "Ngôn ngữ của hướng dẫn và thông báo: vi, en (mặc định: $EGOV_LANG, nếu không thì tiếng Anh"
              " khi locale là en_*, còn lại tiếng Việt).",
    "--quiet": "Chỉ in lỗi và dữ liệu: không thanh tiến độ, không dòng thông tin hay tổng kết"
               " (mặc định: in đủ).",
    "--excel": "CSV cho Excel: thêm dấu BOM UTF-8 ở đầu tệp để Excel hiện đúng tiếng Việt (mặc định: UTF-8"
               " thường, cho chương trình đọc).",
    "--install-completion": "Cài tự hoàn thành lệnh (Tab) cho shell đang dùng.",
    "--show-completion": "In mã tự hoàn thành lệnh cho shell đang dùng, để sao chép hoặc tùy chỉnh.",
    "--workspace": "Tệp workspace SQLite (mặc định: $EGOV_WORKSPACE, nếu không thì ./egov.sqlite).",
    "--format": _FORMAT,
    "--out": _OUT,
    # ingest
    "ingest": "Đọc mọi báo cáo trong THƯ MỤC vào workspace, ghi rõ nguồn (tệp, trang tính/trang, ô/dòng)"
              " của từng giá trị.",
    "ingest FOLDER": "Thư mục báo cáo đã nộp (.xlsx, .docx, .pdf; .xls, .xlsm, .ods; .doc, .odt, .rtf qua"
                     " LibreOffice), đọc cả các thư mục con.",
    "ingest --period": "Kỳ báo cáo cho mọi tệp, thay cho kỳ tự nhận ra (mặc định: kỳ mỗi tệp ghi; tệp không"
                       " ghi kỳ nhận kỳ duy nhất của các tệp khác trong thư mục).",
    "ingest --jobs": "Số tiến trình đọc song song (mặc định: số CPU, tối đa một tiến trình cho mỗi 384 MB"
                     " của --max-memory-mb).",
    "ingest --json": "In bản tổng kết dạng JSON ra stdout, cho chương trình đọc.",
    "ingest --strict": "Thoát với mã 1 nếu có tệp gặp vấn đề (lỗi hoặc cảnh báo; ghi chú không tính)"
                       " (mặc định: --no-strict).",
    "ingest --max-file-mb": "Tệp lớn nhất được đọc, tính bằng MB (lớn hơn: E-TOO-LARGE) (mặc định: 100).",
    "ingest --timeout": "Số giây cho phép để đọc một tệp (quá: E-TIMEOUT) (mặc định: 60).",
    "ingest --max-memory-mb": "Bộ nhớ cho mọi tiến trình đọc cộng lại, tính bằng MB (mỗi tiến trình trong N"
                              " --jobs được 1/N; tệp cần nhiều hơn: E-TOO-LARGE), 0: không giới hạn"
                              " (mặc định: 1280).",
    "ingest --agencies": "Tệp CSV danh mục cơ quan (id,name,group,aliases) (mặc định: THƯ MỤC/agencies.csv"
                         " nếu có).",
    "ingest --mapping": "Tệp CSV ghim nhãn → chỉ số (mặc định: THƯ MỤC/mapping.csv nếu có).",
    "ingest --all": "Liệt kê mọi tệp trong bảng kết quả, cả tệp không đổi (mặc định: chỉ các tệp có vấn đề,"
                    " lỗi hoặc đã xoá khỏi thư mục, và một dòng tổng kết).",
    # score
    "score": "Chấm điểm mọi cơ quan trong workspace: điểm từng tiêu chí, tổng từng phần, cảnh báo kiểm tra.",
    "score --rules": "Bộ tiêu chí: tên có sẵn (hanam-2022) hoặc đường dẫn tệp .yaml.",
    "score --strict": "Thoát với mã 1 nếu có cảnh báo (mặc định: --no-strict).",
    "score --jobs": "Số tiến trình chấm điểm song song (mặc định: số CPU; lần chấm dưới 64 cơ quan chạy trong"
                    " một tiến trình). Kết quả như nhau với mọi số tiến trình.",
    "score --adjustments": "Tệp CSV điều chỉnh thẩm định (agency,criterion,points,reason[,period]): điểm '3'"
                           " đặt lại, '+1'/'-2' cộng/trừ điểm một tiêu chí; lý do hiện ở mọi kết quả. Được"
                           " lưu trong workspace: các lần chấm sau vẫn áp dụng cho đến khi có tệp khác hoặc"
                           " --no-adjustments (mặc định: điều chỉnh đang lưu trong workspace, nếu có).",
    "score --no-adjustments": "Chấm điểm không kèm điều chỉnh thẩm định đang lưu trong workspace, và xoá"
                              " chúng.",
    "score --run": "Giữ lần chấm này dưới một tên: lần chấm sau chỉ thay nó khi cùng tên, 'egov workspace"
                   " prune' giữ nó; 'egov rank --run TÊN' xếp hạng theo nó (mặc định: không tên, được lần chấm sau"
                   " cùng bộ tiêu chí, báo cáo và điều chỉnh thay thế).",
    "score --all": _ALL,
    # rank
    "rank --run": "Xếp hạng theo lần chấm đã giữ dưới tên này bằng 'egov score --run TÊN' (mặc định: lần chấm"
                  " gần nhất).",
    "rank --all": _ALL,
    "rank": "Xếp hạng theo điểm chấm gần nhất, theo từng nhóm cơ quan; ghi bảng tính, bản tóm tắt và phụ lục quyết định.",
    "rank --out": "Bảng tính xếp hạng (.xlsx; các dòng vẫn in ra stdout), hoặc các dòng dạng .csv/.json"
                  " ('-': stdout) (mặc định: không ghi bảng tính; các dòng in ra stdout).",
    "rank --md": "Ghi thêm bản tóm tắt markdown ('-': stdout) (mặc định: không).",
    "rank --html": "Ghi thêm bản tóm tắt HTML ('-': stdout) (mặc định: không).",
    "rank --ties": "Quy tắc đồng hạng: competition (1,2,2,4) hoặc dense (1,2,2,3) (mặc định: competition).",
    "rank --manifest": "Ghi riêng tệp mô tả lần chạy (JSON: phiên bản egov, bộ tiêu chí và mã băm, các tệp"
                       " đầu vào và mã băm, điều chỉnh, tùy chọn, thời điểm) để chạy lại cho đúng kết quả"
                       " này ('-': stdout) (mặc định: không; bản tóm tắt vẫn ghi nó).",
    "rank --robustness": "Rút ngẫu nhiên trọng số các phần N lần (mỗi trọng số × một hệ số trong [1−độ lệch, 1+độ lệch], chuẩn hoá lại) và cho khoảng hạng của từng cơ quan (phân vị 5–95%): cột rank_low, rank_high; 'Khoảng hạng (5–95%)' trong bảng tính và bản tóm tắt (mặc định: không).",
    "rank --seed": "Hạt giống của các lần rút --robustness: cùng hạt giống, cùng khoảng hạng (mặc định: 2026).",
    "rank --robustness-spread": "Mức --robustness làm lệch mỗi trọng số (mặc định: 0.2).",
    "rank --docx": "Ghi thêm bảng xếp hạng thành phụ lục kèm quyết định (.docx, theo Nghị định 30/2020/NĐ-CP)"
                   " (mặc định: không).",
    "rank --so-quyet-dinh": "Số của quyết định mà phụ lục kèm theo, ví dụ 125/QĐ-UBND (mặc định: …/QĐ-…).",
    "rank --ngay-quyet-dinh": "Ngày của quyết định, dd/mm/yyyy (mặc định: ngày … tháng … năm …).",
    "rank --co-quan-ban-hanh": "Cơ quan ban hành quyết định, ví dụ 'UBND tỉnh Hà Nam' (mặc định: …).",
    "rank --tieu-de-phu-luc": "Tiêu đề của phụ lục (mặc định: KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM <kỳ>).",
    # report
    "report": "Ghi trang kết quả riêng của từng cơ quan (.html, .docx): thứ hạng, điểm bị trừ và lý do,"
              " minh chứng còn thiếu.\n\nTrang gồm tổng điểm (và chỉ số), hạng trong nhóm, xếp loại, thay"
              " đổi so với kỳ trước; mọi tiêu chí chưa đạt điểm tối đa kèm số điểm bị trừ và lý do (cách"
              " tính với các giá trị, tệp và ô của chúng); các cảnh báo, điều chỉnh thẩm định và minh chứng"
              " còn thiếu.",
    "report --agency": "Cơ quan, tên như trong bảng xếp hạng (không phân biệt dấu, hoa thường; một phần tên"
                       " khi không tên nào khác chứa nó) (mặc định: không; dùng --agency hoặc --all).",
    "report --all": "Một trang cho mỗi cơ quan được xếp hạng (mặc định: chỉ --agency).",
    "report --period": "Kỳ đánh giá (mặc định: kỳ xếp hạng gần nhất).",
    "report --out": "Thư mục ghi các trang, tạo nếu chưa có: <cơ quan>.html và <cơ quan>.docx (mặc định: thư"
                    " mục hiện tại).",
    # template
    "template": "Ghi mẫu phiếu (.xlsx, .docx) cho các cơ quan của một nhóm điền; phiếu đã điền được egov"
                " ingest đọc lại trọn vẹn.\n\nHai phần: các số liệu mà tiêu chí của nhóm dùng (giá trị,"
                " minh chứng), và các tiêu chí với TT, điểm tối đa, cách tính (điểm tự đánh giá, minh"
                " chứng); bảng tính có kiểm tra dữ liệu nhập.",
    "template --rules": "Bộ tiêu chí: tên có sẵn (hanam-2022) hoặc đường dẫn tệp .yaml.",
    "template --group": "Nhóm cơ quan dùng mẫu phiếu: mã (department, commune…) hoặc tên nhóm, như bộ tiêu"
                        " chí xếp hạng.",
    "template --out": "Tệp mẫu phiếu ghi ra: .xlsx hoặc .docx.",
    "template --period": "Kỳ báo cáo in ở tiêu đề phiếu (mặc định: kỳ của bộ tiêu chí).",
    # verify
    "verify": "Tính lại mọi tổng điểm và thứ hạng của một bảng xếp hạng đã công bố; báo từng chỗ sai kèm ô"
              " của nó.\n\nPhát hiện: over_max (ô vượt điểm tối đa của tiêu chí), total_mismatch (tổng"
              " không bằng tổng các phần in ra), rank_mismatch (hạng hoặc thứ tự dòng không khớp tổng"
              " điểm), missing_value. Mọi số được so ở đúng độ chính xác đã in. Hiện cả bảng xếp hạng"
              " dựng lại từ các ô tiêu chí, và nói rõ điều gì không kiểm tra được. Mã thoát 2 khi tệp"
              " không có bảng xếp hạng hoặc bộ tiêu chí không khớp bảng.",
    "verify FILE": "Bảng xếp hạng đã công bố: .pdf, .xlsx, .docx, trang web (.html); .xls, .doc…",
    "verify --rules": "Bộ tiêu chí của bảng xếp hạng: tên có sẵn hoặc tệp .yaml (mặc định: không; bảng được"
                      " kiểm tra với chính nó: hạng, thứ tự, đồng hạng, tổng của các phần in ra).",
    "verify --columns": "Chỉ rõ các cột khi egov không tự tìm được bảng: \"agency=B; total=Chỉ số DTI;"
                        " rank=A; components=C:E\" (chữ cột hoặc tiêu đề cột) (mặc định: nhận từ tiêu"
                        " đề).",
    "verify --strict": "Thoát với mã 1 nếu có bất kỳ phát hiện nào (mặc định: --no-strict).",
    "verify --agencies": "Tệp CSV danh mục cơ quan (id,name,group,aliases) cho các cách viết lạ (mặc định:"
                         " không; tên chỉ khác dấu, hoa thường hay viết tắt như UBND là một cơ quan).",
    # rules
    "rules": "Bộ tiêu chí: liệt kê, xem, kiểm tra, soạn từ quyết định.",
    "rules list": "Liệt kê các bộ tiêu chí có sẵn trong egov (dùng tên với --rules).",
    "rules show": "Xem một bộ tiêu chí: các phần, tiêu chí và điểm tối đa, loại cách tính, dữ liệu dùng.",
    "rules show NAME": "Tên có sẵn (hanam-2022) hoặc đường dẫn tệp bộ tiêu chí .yaml.",
    "rules validate": "Kiểm tra tệp bộ tiêu chí mà không chấm điểm: mã thoát 0 khi hợp lệ, 1 kèm danh sách"
                      " mọi vấn đề dạng tệp:dòng.",
    "rules validate FILE": "Đường dẫn tệp bộ tiêu chí .yaml (hoặc tên có sẵn).",
    "rules validate --json": "In {file, valid, name, title, problems} ra stdout, mỗi vấn đề theo dạng JSON"
                             " chung của mọi lệnh (mặc định: kết luận dạng chữ, vấn đề ra stderr).",
    "rules draft": "Soạn bộ tiêu chí từ quyết định ban hành bộ tiêu chí: các phần, tiêu chí, điểm tối đa,"
                   " nguyên văn \"cách tính\", công thức khi chữ theo mẫu thường gặp, và một `todo:` cho mỗi"
                   " lựa chọn còn lại, được `egov rules validate` liệt kê (docs/rules.md §14).",
    "rules draft DECISION": "Quyết định ban hành bộ tiêu chí (bảng tiêu chí của nó): .docx, .xlsx, .pdf.",
    "rules draft --out": "Ghi YAML vào tệp này, an toàn (mặc định: stdout).",
    "rules draft --table": "Bảng tiêu chí thứ N của tệp (mặc định: bảng có nhiều dòng có điểm nhất).",
    "rules draft --name": "Tên của bộ tiêu chí (mặc định: tên tệp ghi ra, bỏ đuôi).",
    "rules draft --json": "Khi có --out TỆP: in những gì đã soạn, mọi việc còn phải làm và vấn đề dạng JSON"
                          " (mặc định: tóm tắt ra stderr).",
    # init
    "init": "Bắt đầu một đợt đánh giá: THƯ MỤC/egov.toml (workspace, bộ tiêu chí, danh mục cơ quan, điều"
            " chỉnh, nơi ghi kết quả), agencies.csv trống và các thư mục bao-cao/, ket-qua/; sau đó trong"
            " THƯ MỤC chỉ cần `egov ingest`, `egov score`, `egov rank`, không cần tùy chọn.",
    "init FOLDER": "Thư mục của đợt đánh giá mới (tạo nếu chưa có).",
    "init --rules": "Bộ tiêu chí của đợt: tên có sẵn hoặc tệp .yaml (mặc định: dti-example-2025).",
    "init --force": "Ghi đè egov.toml đã có (mặc định: giữ nguyên; mã thoát 2).",
    # indicators
    "indicators": "Chỉ số: các giá trị đã đọc từ báo cáo; danh mục chỉ số.",
    "indicators --unmapped": "Chỉ các dòng có nhãn chưa khớp chỉ số nào, kèm các chỉ số gần nhất (mặc định:"
                             " --no-unmapped: mọi dòng).",
    "indicators --rules": _RULES_INDICATORS,
    "indicators --all": _ALL,
    "indicators catalogue": "Liệt kê mọi chỉ số egov biết (có sẵn, và chỉ số riêng của bộ tiêu chí khi có"
                            " --rules): mã, tên, đơn vị, loại, nơi khai báo và các nhãn nhận biết trong"
                            " báo cáo.",
    "indicators catalogue --rules": _RULES_INDICATORS,
    # workspace
    "workspace": "Workspace: dung lượng, các lần chấm điểm, dọn dẹp.",
    "workspace info": "Xem dung lượng workspace, các báo cáo và giá trị đã đọc, các lần chấm điểm (lần nào"
                      " `egov rank` dùng, lần nào `egov workspace prune` sẽ xoá).",
    "workspace prune": "Xoá các lần chấm không tên đã bị lần chấm sau cùng bộ tiêu chí thay thế (không bao"
                       " giờ xoá lần gần nhất hay lần có tên đặt bằng 'egov score --run'), và các dòng không còn"
                       " gì tham chiếu. Báo cáo không bao giờ bị xoá. Tệp giữ nguyên dung lượng cho đến 'egov"
                       " workspace vacuum'.",
    "workspace vacuum": "Ghi lại tệp workspace bỏ phần trống (SQLite VACUUM, làm trọn hoặc không: có sự cố"
                        " thì tệp giữ nguyên). Cần chỗ trống trên đĩa cỡ bằng tệp, và không lệnh egov nào khác"
                        " đang ghi vào nó.",
}
