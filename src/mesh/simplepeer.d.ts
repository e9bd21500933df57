// simple-peer's browser bundle ships no types; it is the same API as the typed main entry.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
