/** Strings of the camera player (and, later, the video wall), under `videoUi`. */
export const videoUi = {
  en: {
    connecting: 'Connecting to the camera…',
    live: 'LIVE',
    recorded: 'RECORDED',
    noSignal: 'No signal',
    why: {
      disabled: 'Demo video is turned off on the service (VIDEO=0).',
      no_encoder: 'The service has no video encoder (ffmpeg). Retrying…',
      encoder_failed: 'The video encoder stopped and is restarting. Retrying…',
      stalled: 'The camera stream stopped. Retrying…',
      unreachable: 'The stream cannot be reached. Retrying…',
      denied: 'Not allowed to watch this stream: log in again.',
    },
    liveOnly: 'Live only',
    liveOnlyHint: 'No recording of this camera at {{time}}.',
    unsupported: 'This stream type cannot be played in this browser.',
  },
  zh: {
    connecting: '正在连接摄像机…',
    live: '实时',
    recorded: '录像',
    noSignal: '无信号',
    why: {
      disabled: '服务端已关闭演示视频（VIDEO=0）。',
      no_encoder: '服务端没有视频编码器（ffmpeg），正在重试…',
      encoder_failed: '视频编码器已停止，正在重启…',
      stalled: '摄像机视频流已中断，正在重试…',
      unreachable: '无法连接视频流，正在重试…',
      denied: '无权观看此视频流，请重新登录。',
    },
    liveOnly: '仅实时',
    liveOnlyHint: '该摄像机在 {{time}} 没有录像。',
    unsupported: '此浏览器无法播放该类型的视频流。',
  },
} as const;
