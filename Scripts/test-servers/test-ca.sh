# Sourced by the test servers' scripts: make_test_certificate FOLDER CERT makes, in FOLDER, a
# test CA (ca.pem, ca.key) and a server certificate for 127.0.0.1 and localhost signed by it
# (CERT, and server.key).
make_test_certificate() {
    local folder=$1 certificate=$2
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mailcensus test CA" \
        -keyout "$folder/ca.key" -out "$folder/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$folder/server.key" \
        -out "$folder/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$folder/ext.cnf"
    openssl x509 -req -in "$folder/server.csr" -CA "$folder/ca.pem" -CAkey "$folder/ca.key" -CAcreateserial \
        -days 3650 -extfile "$folder/ext.cnf" -out "$certificate" 2>/dev/null
}
