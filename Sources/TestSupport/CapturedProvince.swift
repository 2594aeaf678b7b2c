/// The province of the logs of the real Postfix and Dovecot (`Logs/captured`), whose truth is
/// known: annv declared his Gmail, minhvq's mailbox forwards to Gmail, tuyenld left,
/// vanphong@ is an alias (nobody's mailbox), and E11 has no address.
public enum CapturedProvince {
    /// The roster of the capture's people, as HR's CSV.
    public static let roster = """
        employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date
        E1,Nguyễn Văn An,STTTT,,province,Chuyên viên,annv@namdinh.gov.vn,friend.an@gmail.com,active,,
        E2,Trần Thị Bình,STTTT,,province,Chuyên viên,binhtt@namdinh.gov.vn,,active,,
        E3,Phạm Quốc Cường,SNV,,province,Trưởng phòng,cuongpq@namdinh.gov.vn,,active,,
        E4,Lê Thị Dung,SNV,,province,Chuyên viên,dunglt@namdinh.gov.vn,,active,,
        E5,Nguyễn Xuân Hoà,SYT,,province,Chuyên viên,hoanx@namdinh.gov.vn,hoanx.personal@gmail.com,active,,
        E6,Phạm Thị Lan,SYT,,province,Chuyên viên,lanpt@namdinh.gov.vn,,active,,
        E7,Vũ Quang Minh,SYT,,province,Chuyên viên,minhvq@namdinh.gov.vn,,active,,
        E8,Bùi Thị Ngọc,STTTT,,province,Chuyên viên,ngocbt@namdinh.gov.vn,,active,,
        E9,Hoàng Ngọc Thu,STTTT,,province,Chuyên viên,thuhn@stttt.namdinh.gov.vn,,active,,
        E10,Lê Đức Tuyển,SNV,,province,Chuyên viên,tuyenld@namdinh.gov.vn,,left,,
        E11,Trịnh Văn Thanh,SNV,,province,Chuyên viên,,,active,,

        """
}
