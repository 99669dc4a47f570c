// as2_libas2 - the npm package libas2 as an independent AS2 partner for
// test_as2.sh (NODE_PATH must find libas2).
//
//   node as2_libas2.js send URL OURKEY OURCERT THEIRCERT FILE
//     compose an encrypted message from FILE as LIBAS2 to EDIGATE-B, POST
//     it, verify the signed MDN with THEIRCERT; prints "disposition: ..."
//     and "mic: ..." lines.
//   node as2_libas2.js receive PORT OURKEY OURCERT THEIRCERT OUTFILE
//     listen; verify each POST's signature with THEIRCERT, write the
//     payload to OUTFILE and answer with libas2's own (unsigned) sync MDN.
// libas2 0.8.2 cannot sign with RSA keys nor decrypt PKCS#1 v1.5 key
// transport under Node's WebCrypto, hence unsigned/unencrypted halves.
'use strict'
const fs = require('fs')
const http = require('http')
const { AS2Composer, AS2Parser, request } = require('libas2')

async function send ([url, key, cert, theirs, file]) {
  const composer = new AS2Composer({
    message: {
      filename: 'libas2.x12',
      contentType: 'application/edi-x12',
      content: fs.readFileSync(file)
    },
    agreement: {
      host: {
        name: 'libas2', id: 'LIBAS2', url: 'http://127.0.0.1/unused',
        certificate: fs.readFileSync(cert, 'utf8'),
        privateKey: fs.readFileSync(key, 'utf8'),
        sign: false, // PKIjs here cannot sign with an RSA key
        mdn: { signing: 'sha-256' }
      },
      partner: {
        name: 'edigate', id: 'EDIGATE-B', url,
        file: 'EDIX12',
        certificate: fs.readFileSync(theirs, 'utf8'),
        encrypt: 'aes256-CBC'
      }
    }
  })
  const options = await composer.toRequestOptions()
  const res = await request(options)
  if (res.statusCode !== 200) throw new Error(`http ${res.statusCode}`)
  const mime = await res.mime()
  const mdn = await mime.dispositionIn({ cert: fs.readFileSync(theirs, 'utf8') })
  console.log('message-id: ' + options.headers['Message-ID'] + '')
  console.log('disposition: ' + JSON.stringify(mdn.notification.disposition))
  console.log('mic: ' + JSON.stringify(mdn.notification.receivedContentMic))
  console.log('original: ' + mdn.notification.originalMessageId)
}

async function receive ([port, key, cert, theirs, out]) {
  const ours = { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') }
  http.createServer(async (req, res) => {
    try {
      const mime = await AS2Parser.parse({ headers: req.rawHeaders, content: req })
      const { contentNode, dispositionNode } = await mime.dispositionOut({
        agreement: {
          host: { name: 'libas2', id: 'LIBAS2', url: 'http://127.0.0.1/unused',
            certificate: ours.cert, privateKey: ours.key, decrypt: false,
            sign: false, mdn: { signing: false } },
          partner: { name: 'edigate', id: 'EDIGATE-A', url: 'http://127.0.0.1/unused',
            certificate: fs.readFileSync(theirs, 'utf8'), encrypt: false, verify: true,
            mdn: { signing: false } }
        },
        returnNode: false
      })
      fs.writeFileSync(out, contentNode.content)
      const { headers, body } = await dispositionNode.buildObject()
      res.writeHead(200, headers)
      res.end(body)
    } catch (e) {
      console.error('libas2 receive: ' + (e.stack || e))
      res.writeHead(500)
      res.end(String(e))
    }
  }).listen(Number(port), '127.0.0.1')
}

const [mode, ...args] = process.argv.slice(2)
const run = mode === 'send' ? send : receive
run(args).catch(e => { console.error('libas2: ' + (e.stack || e)); process.exit(1) })
