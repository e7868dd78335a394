/**
 * The words and patterns behind the risk flag of the label contract (config/nlu/README.md, "Risk flag"): threats
 * to go beyond the shop (regulators, platform, public exposure, legal action) and descriptions of harm.
 * Patterns run on normalised text (simplified, lower-case, NFKC), so 報警 and ＰＯＬＩＣＥ match too.
 *
 * `harmless` is looked for in a window around each match: when it is found there, that match is not a
 * threat (工商银行 is a bank, 曝光补偿 a camera setting, 110码 a children's size).
 */

export type RiskCategory = 'regulator' | 'platform' | 'exposure' | 'legal' | 'harm' | 'child';

export interface RiskRule {
  category: RiskCategory;
  pattern: RegExp;
  harmless?: RegExp;
}

/** Threats can be promised away ("不会去投诉"); harm that happened cannot. */
export const THREAT_CATEGORIES: ReadonlySet<RiskCategory> = new Set(['regulator', 'platform', 'exposure', 'legal']);

const KIDS = '(?:孩子|小孩|宝宝|儿子|女儿|闺女|娃|婴儿|小朋友|小宝|宝贝)';

export const RISK_RULES: readonly RiskRule[] = [
  // 12315 consumer hotline, 12345 city hotline, 315 (the consumer-rights day and its TV gala), unless a price.
  { category: 'regulator', pattern: /(?<!\d)(?:12315|12345|315)(?!\d|元|块|码|ml|g\b)/ },
  {
    category: 'regulator',
    pattern: /消协|消费者协会|消费者权益|消保|市场监[管督]|市监|工商|质监|质量监督|药监|食药监|卫健委|监管部门|有关部门|相关部门|邮政管理局|邮管局|市长热线|政务热线|黑猫|消费保|举报/,
    harmless: /工商银行|工商局旁|工商(?:管理)?专业/,
  },
  {
    category: 'platform',
    pattern:
      /(?:平台|官方|小二|抖音|抖店|微信|淘宝|拼多多|京东)[^，。,.!?]{0,4}介入|申请介入|投诉到|(?:去|到|向|找|在)(?:抖音|平台|官方|微信|淘宝|抖店)[^，。,.!?]{0,4}(?:投诉|申诉|反映)|(?:平台|抖音|抖店|微信)投诉|找平台|让平台|平台仲裁|小二来|(?:抖音|平台)官方|(?:找|联系|问)(?:抖音|平台)(?:官方)?客服/,
    // "you told me to go to the platform" is passing the buck, not the buyer's threat.
    harmless: /(?:让|叫|要)我(?:去)?找平台|说找平台|推到[^，。]{0,4}找平台/,
  },
  {
    category: 'exposure',
    pattern:
      /曝光|微博|小红书|贴吧|知乎|(?:发|晒|曝|挂)[^，。,.!?]{0,4}(?:朋友圈|网上|抖音|视频|帖)|朋友圈[^，。,.!?]{0,6}(?:说|发|曝|吐槽|讲)|媒体|记者|电视台|报社|新闻媒体|全网都|让全网|让网友|避雷|发帖|帖子|刷屏|大家看看|大家都看看|评评理|晚会/,
    harmless: /曝光(?:补偿|过度|不足|时间|模式|度|值|怎么|设置|参数)|(?:相机|镜头|手动挡|照片|拍照)[^，。]{0,6}曝光|过曝|视频里|视频通话|发视频给你|发个视频给/,
  },
  { category: 'exposure', pattern: /群里[^，。,.!?]{0,3}(?:说|发|讲|曝|吐槽)|(?:业主|小区|家长|宝妈)群/ },
  {
    category: 'legal',
    pattern: /律师|律所|起诉|法院|法庭|诉讼|官司|仲裁|法律|违法|维权|欺诈|报警|报案|警察|派出所|(?:打|拨|报|叫)了?110(?!\d)/,
    harmless: /我是(?:做|当)?律|做律师|律所的|当律师|律师(?:衬衫|的衬衫)/,
  },
  { category: 'legal', pattern: /退一赔三|假一赔[三十]|[三十]倍赔偿|赔[三十]倍/ },
  // 告 alone is "sue", but it is also part of 告诉, 广告, 报告...: those words are excluded around it.
  { category: 'legal', pattern: /(?<![广公报预警忠转通布劝宣祷])告(?![诉知示辞别白诫急一])/ },
  // Fire, smoke, sparks, batteries swelling or bursting.
  {
    category: 'harm',
    pattern:
      /冒烟|着火|起火|失火|自燃|爆炸|炸了|(?:突然|电池|充电)[^，。,.!?]{0,4}(?:爆|炸)|火花|火星|打火(?!机)|冒火|火灾|烧起来|炸裂|爆裂|焦味|烧焦|焦糊|烧塑料|(?:电池|充电宝|暖手宝|充着电|充电)[^，。,.!?]{0,6}(?:鼓起|鼓包|胀起|膨胀)/,
  },
  // Electricity.
  { category: 'harm', pattern: /漏电|触电|电到了?[我手人]|电了一下|麻麻的|跳闸|短路/ },
  // Injury and illness, described without the listed words.
  {
    category: 'harm',
    pattern:
      /住院|(?:去|送|进|跑|上|到)(?:了)?(?:趟)?医院|急诊|看医生|看了医生|诊所|打针|输液|吊水|受伤|烫伤|烫出|烫起|烧伤|划伤|割伤|扎伤|吃出[^，。,.!?]{0,3}(?:玻璃|钢丝|铁丝|刀片)|眼睛[^，。,.!?]{0,3}(?:红|疼|痛|睁不开)|中毒|上吐下泻|拉肚子|腹泻|肚子[疼痛]|呕吐|吐了一[晚夜]|又吐又|头晕|流血|出血|血了|水泡|喘不[上过]气|呼吸困难|窒息|噎住|咳[^，。,.!?]{0,2}(?:不停|厉害|个不停)|一直咳/,
  },
  // Hurt by the product, told by the body part: 烫到手了, 杯子把嘴烫了, 划到手指. Not when it did not happen.
  {
    category: 'harm',
    pattern: /(?:烫|划|割|扎|夹|砸|硌|刮)(?:到|破|伤|得)了?(?:我的?)?(?:手|脚|嘴|舌头|腿|脸|胳膊|手指|手背|脚趾|皮肤|身上)|(?:手|脚|嘴|舌头|腿|脸|胳膊|手指|手背|皮肤)[^，。,.!?]{0,3}(?:被)?(?:烫|划|割|扎|夹)(?:到|破|伤|红|起泡)/,
    harmless: /没(?:有)?(?:被)?(?:烫|划|割|扎|夹|砸|硌|刮)|差点|幸好|还好/,
  },
  // Skin reactions: redness, swelling, rash, stinging.
  {
    category: 'harm',
    pattern: /红肿|肿了|肿起来|起疹|疹子|红疹|(?:小)?红点|起[^，。,.!?]{0,4}疙瘩|刺痛|灼痛|火辣辣|破皮|皮炎|烂脸|溃烂|红了一(?:大)?片|泛红|痒得/,
  },
  {
    category: 'child',
    pattern: new RegExp(
      `${KIDS}[^。.!?]{0,12}(?:划破|划伤|割破|烫|摔|误吞|误食|吞[了下进]|噎|窒息|起疹|疹子|红疹|发烧|出血|哭了|不舒服|卡[住在]|夹住|喘|咳|红肿|肿|痒|拉肚子|吐)`,
    ),
    harmless: /没(?:有)?伤到|没(?:有)?事|很喜欢|没受伤/,
  },
  // The same harm told the other way round: 烫到孩子, 夹伤了宝宝的手.
  { category: 'child', pattern: new RegExp(`(?:烫|划|割|夹|砸|扎|咬|电)(?:到|伤|破)了?[^，。,.!?]{0,4}${KIDS}`), harmless: /没(?:有)?(?:烫|划|割|夹|砸|扎|咬|电)/ },
  {
    category: 'harm',
    pattern: /\b(?:sue|lawsuit|lawyer|police|report you|bad review|caught fire|on fire|smok(?:e|ing)|explod\w*|hospital|allergic|rash)\b/,
  },
];

// 过敏 is harm when it happened, not in a pre-sale question ("会不会过敏", "过敏体质能用吗").
export const ALLERGY = /过敏/g;
export const ALLERGY_NOT_HARM = /(?:会不会|会|防|抗|不|易|容易)过敏|过敏(?:体质|人群|肌|吗|么)/;
// 差评 is a threat unless it is explicitly ruled out ("不会给差评").
export const BAD_REVIEW = /差评/g;
export const BAD_REVIEW_NEGATED = /(?:不会|不想|不给|没给|不打|不至于|舍不得|没有)(?:给|打)?(?:你们|你)?个?差评/;

/**
 * A threat taken back in the same clause: a promise not to act ("不会去投诉", "我不是要投诉你"), or one
 * given up ("本来想去12315的 后来想想算了"). Looked for just before the match, inside its clause.
 */
export const THREAT_NEGATION = /(?:不会|不想|不打算|没打算|不准备|不至于|没必要|用不着|犯不着|不用|不是要|不是想|并不想|不去|没去|不必)[^，。,.!?就]{0,4}$/;
export const THREAT_RETRACTED_BEFORE = /(?:本来|原本|本想|差点|差一点)[^，。,.!?]{0,6}$/;
export const THREAT_RETRACTED_AFTER = /^[^。.!?]{0,12}(?:算了|作罢|还是不|就不[去了]|不去了)/;
